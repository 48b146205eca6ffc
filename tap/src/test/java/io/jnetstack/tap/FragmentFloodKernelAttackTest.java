package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.ArpProtocol;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.Ipv4Reassembler;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.KernelHashedNc;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelPython;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.PeakSampler;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpEndpoint;
import io.jnetstack.transport.udp.UdpProtocol;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, attack 2, with the kernel as attacker: 100,000 first fragments of 8 bytes, each the
 * start of a datagram that never completes, written as raw frames into the TAP device
 * (memory_flood_attack.py). The reassembler's charge must stay within its limit throughout,
 * evictions must be counted, and afterwards a datagram that needs reassembly and a TCP connection
 * from the kernel must both still get through.
 */
class FragmentFloodKernelAttackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int FLOOD = 100_000;
    /** Fragments a second: about as many as the stack's reader takes, so that few are lost in the TAP. */
    private static final int FLOOD_RATE = 50_000;
    /** The flood stops after this long even if it has not sent {@link #FLOOD} fragments. */
    private static final int FLOOD_SECONDS = 10;
    /** Small, so that the flood overruns it many times over (each datagram is charged about 630 bytes). */
    private static final int REASSEMBLY_LIMIT = 256 << 10;
    /**
     * Fragments that must reach the stack for the test to mean something: the TAP drops what the
     * stack's reader is too slow to take (a loaded machine's may be slow), but this many still
     * fill the limit over twenty times.
     */
    private static final int MIN_RECEIVED = FLOOD / 10;
    private static final int UDP_PORT = 9999;
    private static final int TCP_PORT = 8080;
    /** Four fragments at the TAP's 1500-byte MTU. */
    private static final int DATAGRAM_LENGTH = 5_000;
    private static final long STREAM_BYTES = 256 << 10;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @TempDir
    Path scratch;

    private final TcpProtocol tcp = new TcpProtocol();
    private final UdpProtocol udp = new UdpProtocol();
    private Stack stack;

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void tinyFirstFragmentsFromTheKernelStayWithinTheReassemblyLimitAndServiceGoesOn() throws Exception {
        KernelPython.require();
        Ipv4Protocol ipv4 = new Ipv4Protocol(Ipv4Reassembler.DEFAULT_TIMEOUT_NANOS, REASSEMBLY_LIMIT);
        stack = Stack.builder().network(new ArpProtocol(), ipv4).transport(tcp).transport(udp).build();
        stack.createNic("tap", peer.link()).addAddress(new IpSubnet(IpAddress.of(KernelPeer.STACK_ADDRESS),
                KernelPeer.PREFIX_LENGTH));
        Ipv4Reassembler reassembler = ipv4.reassembler();
        UdpEndpoint receiver = udp.newEndpoint();
        receiver.bind(IpAddress.IPV4_ANY, UDP_PORT);
        CountDownLatch readable = new CountDownLatch(1);
        receiver.waiterQueue().register(new WaiterEntry(Events.IN, events -> readable.countDown()));
        TcpEndpoint listener = BlockingTcp.listen(tcp, TCP_PORT);

        long peak;
        String sent;
        try (PeakSampler held = new PeakSampler("reassembly", reassembler::heldBytes);
             NamespaceProcess flood = KernelPython.spawn(peer, scratch, KernelPython.class, "memory_flood_attack.py",
                     "fragments", peer.deviceName(), peer.link().linkAddress().toString(),
                     KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(FLOOD), Integer.toString(FLOOD_RATE),
                     Integer.toString(FLOOD_SECONDS))) {
            assertEquals(OptionalInt.of(0), flood.awaitExit(TIMEOUT), flood::output);
            sent = flood.output().trim();

            // The kernel fragments this one; it reaches the stack behind the whole flood, so once
            // it is here every flood fragment that got through the TAP has been handled.
            byte[] datagram = pattern(DATAGRAM_LENGTH);
            peer.exec(TIMEOUT, datagram, KernelPython.DEBIAN_PYTHON, "-c",
                    "import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(sys.stdin.buffer.read(), ('"
                            + KernelPeer.STACK_ADDRESS.getHostAddress() + "', " + UDP_PORT + "))").requireSuccess();
            assertTrue(readable.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "the kernel's fragmented datagram never arrived: " + reassembler.counters());
            UdpEndpoint.Datagram received = receiver.receive();
            assertNotNull(received);
            assertArrayEquals(datagram, received.data());
            peak = held.peak();
        }

        Ipv4Reassembler.Counters counters = reassembler.counters();
        String figures = sent + "; the TAP dropped " + peer.deviceCounter("tx_dropped")
                + " frames the stack was too slow to take; it received " + counters.fragmentsReceived()
                + " fragments; charge peaked at " + peak + " bytes, now " + reassembler.heldBytes() + " in "
                + reassembler.pendingDatagrams() + " datagrams; limit " + REASSEMBLY_LIMIT + "; " + counters;
        System.out.println("TAP fragment flood: " + figures);
        assertTrue(peak <= REASSEMBLY_LIMIT, figures);
        assertTrue(counters.memoryEvicted() > 0, figures);
        assertTrue(counters.fragmentsReceived() >= MIN_RECEIVED,
                "the flood must overrun the limit many times over to test it: " + figures);
        assertEquals(1, counters.datagramsReassembled(), figures);

        KernelHashedNc goodClient = KernelHashedNc.connectTo(peer, scratch, listener, STREAM_BYTES);
        goodClient.exchange(BlockingTcp.accept(listener, TIMEOUT), STREAM_BYTES, TIMEOUT);
    }

    private static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }
}
