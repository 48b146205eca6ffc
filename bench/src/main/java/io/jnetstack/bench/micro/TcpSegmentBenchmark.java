package io.jnetstack.bench.micro;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One TCP data segment through two whole stacks: the application's write, the sender's TCP, IPv4
 * and Ethernet output, the link's copy, the receiver's demultiplexing and TCP input, its ACK back
 * to the sender, and the application's read. Everything runs on the benchmark thread (same-thread
 * processors; the link's frames queued and delivered in order by the benchmark thread) and time
 * stands still (a manual clock, so no timer fires), so the figure is the CPU cost of the path, free
 * of thread hand-offs.
 */
@State(Scope.Thread)
public class TcpSegmentBenchmark extends ShortRunDefaults {
    private static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    private static final IpAddress SERVER = IpAddress.parse("198.18.0.2");
    private static final int PORT = 5201;

    /** Payload bytes per segment: a 1-byte request, and a full segment at MTU 1500 with timestamps. */
    @Param({"1", "1448"})
    public int payload;

    private final DrainingExecutor wire = new DrainingExecutor();
    private PipeLink.Pair cable;
    private Stack clientStack;
    private Stack serverStack;
    private TcpEndpoint sender;
    private TcpEndpoint receiver;
    private ByteBuffer source;
    private ByteBuffer sink;

    @Setup
    public void connect() throws IOException {
        ManualClock clock = new ManualClock();
        TcpProtocol clientTcp = new TcpProtocol();
        TcpProtocol serverTcp = new TcpProtocol();
        cable = PipeLink.pair(1500, wire);
        clientStack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).sameThreadProcessors()
                .transport(clientTcp).build();
        serverStack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).sameThreadProcessors()
                .transport(serverTcp).build();
        clientStack.createNic("eth0", cable.a()).addAddress(new IpSubnet(CLIENT, 24));
        serverStack.createNic("eth0", cable.b()).addAddress(new IpSubnet(SERVER, 24));
        TcpEndpoint listener = serverTcp.newEndpoint();
        listener.bind(SERVER, PORT);
        listener.listen(1);
        sender = clientTcp.newEndpoint();
        sender.setNoDelay(true);
        sender.connect(SERVER, PORT);
        wire.drain(); // ARP, SYN, SYN-ACK and ACK
        receiver = listener.accept();
        if (receiver == null) {
            throw new IllegalStateException("the handshake did not complete on the benchmark thread: " + sender.state());
        }
        source = ByteBuffer.allocateDirect(payload);
        sink = ByteBuffer.allocateDirect(64 << 10);
        segment(); // fails here, not in a measurement, if a segment does not arrive at once
    }

    @Benchmark
    public int segment() throws IOException {
        source.clear();
        int written = sender.write(source);
        wire.drain(); // the segment, and the ACK it earns
        sink.clear();
        int read = receiver.read(sink);
        if (written != payload || read != payload) {
            throw new IllegalStateException("wrote " + written + " and read " + read + " of " + payload + " bytes");
        }
        return read;
    }

    @TearDown
    public void close() {
        sender.abort();
        receiver.abort();
        clientStack.close();
        serverStack.close();
        cable.close();
    }
}
