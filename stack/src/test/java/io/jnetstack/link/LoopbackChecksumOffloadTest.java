package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.testing.Tshark;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.tcp.TcpStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP over the loopback leaves its checksums partial and the receiver takes them as the link
 * vouches (as Linux's loopback does), unless a fault rule may change bytes on the way; a capture
 * of the loopback still holds complete, correct checksums.
 */
class LoopbackChecksumOffloadTest {
    private static final int PORT = 7100;
    private static final int BYTES = 200_000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final ManualExecutor wire = new ManualExecutor();
    private final TcpProtocol tcp = new TcpProtocol();
    /** Frames as the loopback delivered them, before the stack took them (the stack consumes them). */
    private final List<PacketBuffer> delivered = new ArrayList<>();

    /** A loopback stack whose link, under the stack's fault injector, notes each delivered frame and records it in {@code capture}. */
    private Stack loopbackStack(PcapWriter capture) {
        Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).processorExecutor(Runnable::run)
                .transport(tcp).build();
        LinkEndpoint noting = new WrappingLink(new LoopbackLink(LoopbackLink.DEFAULT_MTU, wire)) {
            @Override
            public void attach(NetworkDispatcher dispatcher) {
                inner.attach(dispatcher == null ? null : new FrameInterceptor(frame -> {
                    delivered.add(frame.copy());
                    dispatcher.deliverNetworkPacket(frame);
                }, dispatcher));
            }
        };
        stack.createNic("lo", new SniffingLink(noting, capture)).addAddress(IpSubnet.parse("127.0.0.1/8"));
        return stack;
    }

    @Test
    void segmentsGoWithPartialChecksumsTheReceiverTakesAndTheCaptureCompletes() throws Exception {
        Path file = dir.resolve("lo.pcap");
        byte[] received;
        try (PcapWriter capture = PcapWriter.create(file, LinkType.RAW_IP, clock); Stack stack = loopbackStack(capture)) {
            received = transfer();
            capture.flush();
        }
        assertArrayEquals(pattern(BYTES), received);
        assertEquals(0, tcp.stats().get(TcpStats.Counter.CHECKSUM_ERRORS));
        assertFalse(delivered.isEmpty());
        for (PacketBuffer frame : delivered) {
            assertTrue(frame.isChecksumPartial() && frame.isChecksumVerified(), "every TCP segment partial and vouched for");
        }
        Tshark tshark = Tshark.require();
        assertEquals(List.of(), tshark.problems(file, "-o", "tcp.check_checksum:TRUE", "-d", "tcp.port==" + PORT + ",data"));
        String status = tshark.run("-r", file.toString(), "-o", "tcp.check_checksum:TRUE", "-T", "fields",
                "-e", "tcp.checksum.status");
        // Status 1 is Wireshark's PROTO_CHECKSUM_E_GOOD: every segment's checksum was checked and right.
        assertEquals(delivered.size(), status.lines().filter("1"::equals).count(), status);
    }

    @Test
    void aRuleThatMayChangeBytesMakesTheSenderSumAndTheReceiverCheck() throws Exception {
        try (PcapWriter capture = new PcapWriter(new ByteArrayOutputStream(), LinkType.RAW_IP, clock);
                Stack stack = loopbackStack(capture)) {
            stack.faults().add("tcp:corrupt=20%:seed=3");
            assertArrayEquals(pattern(BYTES), transfer());
        }
        assertTrue(tcp.stats().get(TcpStats.Counter.CHECKSUM_ERRORS) > 0, "corrupted segments were caught by their checksums");
        for (PacketBuffer frame : delivered) {
            assertFalse(frame.isChecksumPartial() || frame.isChecksumVerified(), "complete checksums, checked by the receiver");
        }
    }

    /** Sends {@link #BYTES} over 127.0.0.1 and returns what the accepted end read, running the clock as needed. */
    private byte[] transfer() throws IOException {
        TcpEndpoint listener = tcp.newEndpoint();
        listener.bind(IpAddress.IPV4_LOOPBACK, PORT);
        listener.listen(1);
        TcpEndpoint client = tcp.newEndpoint();
        client.connect(IpAddress.IPV4_LOOPBACK, PORT);
        ByteBuffer toSend = ByteBuffer.wrap(pattern(BYTES));
        ByteBuffer received = ByteBuffer.allocate(BYTES);
        TcpEndpoint server = null;
        for (int ms = 0; ms < 60_000 && received.hasRemaining(); ms++) {
            wire.runPending();
            if (server == null) {
                server = listener.accept();
            }
            if (client.state() == TcpState.ESTABLISHED && toSend.hasRemaining()) {
                client.write(toSend);
            }
            if (server != null) {
                server.read(received);
            }
            if (wire.runPending() == 0) {
                clock.advance(Duration.ofMillis(1)); // retransmissions of corrupted segments wait for their timer
            }
        }
        received.flip();
        byte[] out = new byte[received.remaining()];
        received.get(out);
        return out;
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }
}
