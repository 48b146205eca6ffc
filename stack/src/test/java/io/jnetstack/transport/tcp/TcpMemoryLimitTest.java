package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.LiveHeap;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's TCP memory attacks, scaled down against a 1 MiB TCP memory limit on the server (B):
 * peers that keep their window closed while the server writes, and peers that send out-of-order
 * data behind a one-byte hole. TCP memory stays under its limit, so does the heap the attack keeps
 * alive, and a good connection keeps moving data during the attack. The clients (A) have no
 * timestamps, so that injected segments need none.
 */
class TcpMemoryLimitTest {
    private static final int PORT = 80;
    private static final long LIMIT = 1 << 20;
    /** Room for what the collector reports beyond the buffers (connection objects, wire queues). */
    private static final long MEASUREMENT_SLACK = 2 << 20;
    private static final int SEGMENT = 1400;

    /** A client on A and the server's end of its connection on B. */
    private record Connection(TcpEndpoint client, TcpEndpoint server) {
    }

    private static TwoStacks stacks(TcpConfig server) {
        TcpConfig client = TcpConfig.builder().timestamps(false).build();
        return TwoStacks.builder().transport(() -> new TcpProtocol(client), () -> new TcpProtocol(server)).build();
    }

    private static TcpProtocol tcp(Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private static TcpEndpoint listen(TwoStacks net) throws IOException {
        TcpEndpoint listener = tcp(net.b).newEndpoint();
        listener.bind(IpAddress.IPV4_ANY, PORT);
        listener.listen(1000);
        return listener;
    }

    private static List<Connection> connect(TwoStacks net, TcpEndpoint listener, int count,
                                            Consumer<TcpEndpoint> clientOptions) throws IOException {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpEndpoint client = tcp(net.a).newEndpoint();
            clientOptions.accept(client);
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "connection " + i + " was not accepted: " + tcp(net.b).stats());
            connections.add(new Connection(client, server));
        }
        return connections;
    }

    @Test
    void zeroWindowPeersPinLittleWhileTheServerWrites() throws Exception {
        TcpConfig server = TcpConfig.builder().bufferSizes(256 << 10, 256 << 10).memoryLimit(LIMIT).build();
        try (TwoStacks net = stacks(server)) {
            TcpEndpoint listener = listen(net);
            Connection good = connect(net, listener, 1, c -> { }).get(0);
            // 100 peers whose 1 KiB receive buffers they never read: their windows close at once.
            List<Connection> peers = connect(net, listener, 100, c -> c.setReceiveBufferSize(1));
            long before = LiveHeap.bytes();

            for (Connection peer : peers) {
                fillSendBuffer(net, peer.server);
            }

            long retained = LiveHeap.bytes() - before;
            TcpProtocol tcp = tcp(net.b);
            String figures = tcp.memory() + ", heap retained " + retained + ", " + tcp.stats();
            assertTrue(tcp.memory().used() <= LIMIT, figures);
            assertTrue(retained <= LIMIT + MEASUREMENT_SLACK, figures);
            assertTrue(tcp.stats().get(TcpStats.Counter.SEND_MEMORY_LIMITED) > 0, figures);
            assertEquals(tcp.memory().used(), tcp.statistics().get("memoryBytes"));

            assertTransfers(net, good.server, good.client, 64 << 10);

            for (Connection peer : peers) {
                peer.server.abort();
            }
            good.server.abort();
            net.settle();
            assertEquals(0, tcp.memory().used(), "every buffer gave its memory back");
        }
    }

    @Test
    void aConnectionInTimeWaitHoldsNoBuffer() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            Connection c = connect(net, listen(net), 1, x -> { }).get(0);
            c.server.write(ByteBuffer.wrap(new byte[10]));
            net.settle();
            assertEquals(10, c.client.read(ByteBuffer.allocate(10)));
            c.server.close();
            c.client.close();
            net.settle();

            assertEquals(TcpState.TIME_WAIT, c.server.state());
            assertEquals(0, tcp(net.b).memory().used());
        }
    }

    @Test
    void peersSendingBehindAOneByteHoleHoldOnlyTheQueueShare() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            TcpEndpoint listener = listen(net);
            Connection good = connect(net, listener, 1, c -> { }).get(0);
            List<Connection> peers = connect(net, listener, 130, c -> { });
            long before = LiveHeap.bytes();

            for (Connection peer : peers) {
                sendBehindAHole(net, peer.client, 100);
            }

            long retained = LiveHeap.bytes() - before;
            TcpProtocol tcp = tcp(net.b);
            String figures = tcp.memory() + ", heap retained " + retained + ", " + tcp.stats();
            assertTrue(tcp.memory().used() <= tcp.memory().queueThreshold(), figures);
            assertTrue(retained <= LIMIT + MEASUREMENT_SLACK, figures);
            assertTrue(tcp.stats().get(TcpStats.Counter.OUT_OF_ORDER_DROPS) > 0, figures);

            assertTransfers(net, good.client, good.server, 64 << 10);
        }
    }

    @Test
    void underPressureFromFullReceiveBuffersANewClientIsAcceptedAndSendsData() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            TcpEndpoint listener = listen(net);
            List<Connection> senders = connect(net, listener, 8, c -> { });
            for (Connection c : senders) {
                c.client.write(ByteBuffer.allocate(256 << 10));
                net.settle();
            }
            TcpProtocol tcp = tcp(net.b);
            String figures = tcp.memory() + ", " + tcp.stats();
            assertTrue(tcp.memory().underPressure(), figures);
            assertTrue(tcp.stats().get(TcpStats.Counter.RECEIVE_MEMORY_DROPS) > 0, figures);

            Connection late = connect(net, listener, 1, c -> { }).get(0);
            assertTransfers(net, late.client, late.server, 16 << 10);
            assertEquals(0, tcp.stats().get(TcpStats.Counter.MEMORY_LIMIT_REFUSALS), tcp.stats().toString());
        }
    }

    /**
     * The lockout the over-TAP attack found: never-reading peers hold the server between three
     * quarters of the limit and the limit for as long as they like; a new client must still get in
     * and move data both ways, within the small windows pressure allows.
     */
    @Test
    void zeroWindowPeersHoldingThePressureLevelDoNotLockOutANewClient() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            TcpEndpoint listener = listen(net);
            TcpProtocol tcp = tcp(net.b);
            List<Connection> peers = new ArrayList<>();
            while (!tcp.memory().underPressure() && peers.size() < 400) {
                Connection peer = connect(net, listener, 1, c -> c.setReceiveBufferSize(1)).get(0);
                fillSendBuffer(net, peer.server);
                peers.add(peer);
            }
            String figures = peers.size() + " peers, " + tcp.memory() + ", " + tcp.stats();
            assertTrue(tcp.memory().underPressure(), figures);
            assertTrue(tcp.memory().used() < LIMIT, figures);

            Connection late = connect(net, listener, 1, c -> { }).get(0);
            assertTransfers(net, late.client, late.server, 16 << 10);
            assertTransfers(net, late.server, late.client, 16 << 10);
        }
    }

    /**
     * Past the limit only the floors may be had, and only up to {@link TcpMemory#floorCeiling()}:
     * however many never-reading peers hold one, TCP memory stays there. With no floor left a SYN
     * is dropped without answer and counted, and the client's retransmission connects once memory
     * is free again; a writer that found no floor is woken then too.
     */
    @Test
    void floorsStopAtTheCeilingWhereASynIsRefusedUntilMemoryFrees() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            TcpEndpoint listener = listen(net);
            TcpProtocol tcp = tcp(net.b);
            List<Connection> peers = connect(net, listener, 400, c -> c.setReceiveBufferSize(1));
            for (Connection peer : peers) {
                fillSendBuffer(net, peer.server);
            }
            TcpEndpoint starved = peers.get(peers.size() - 1).server;
            String figures = tcp.memory() + ", " + tcp.stats();
            assertTrue(tcp.memory().exhausted(), figures);
            assertTrue(tcp.memory().used() <= tcp.memory().floorCeiling(), figures);
            assertEquals(0, starved.write(ByteBuffer.allocate(1)), "a floor past the ceiling: " + figures);
            assertEquals(0, starved.readiness(Events.OUT), figures);
            AtomicInteger writerWakeUps = new AtomicInteger();
            starved.waiterQueue().register(new WaiterEntry(Events.OUT, events -> writerWakeUps.incrementAndGet()));

            TcpEndpoint late = tcp(net.a).newEndpoint();
            late.connect(ADDRESS_B, PORT);
            net.settle();
            assertNull(listener.accept(), "a connection was accepted without memory: " + tcp.stats());
            assertEquals(TcpState.SYN_SENT, late.state(), "the SYN was answered");
            assertTrue(tcp.stats().get(TcpStats.Counter.MEMORY_LIMIT_REFUSALS) > 0, tcp.stats().toString());

            for (Connection peer : peers.subList(0, peers.size() / 2)) {
                peer.server.abort();
            }
            net.settle();
            assertTrue(tcp.memory().used() < LIMIT, tcp.memory().toString());
            net.advance(Duration.ofSeconds(1)); // the late client's SYN retransmission; the starved writer's retry
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "the late client never got in: " + tcp.stats());
            assertTrue(writerWakeUps.get() > 0, "the starved writer was not woken");
            assertEquals(Events.OUT, starved.readiness(Events.OUT));
            assertTransfers(net, late, server, 16 << 10);
        }
    }

    /** Writes until the send buffer takes no more: the peer's closed window leaves it all queued. */
    private static void fillSendBuffer(TwoStacks net, TcpEndpoint server) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(64 << 10);
        do {
            data.clear();
        } while (server.write(data) > 0);
        net.settle();
    }

    @Test
    void tinySegmentsAreCoalescedSoTheirHeapStaysNearTheirSize() throws Exception {
        try (TwoStacks net = stacks(TcpConfig.builder().memoryLimit(LIMIT).build())) {
            Connection peer = connect(net, listen(net), 1, c -> { }).get(0);
            TcpInfo info = peer.client.info();
            // The injector speaks for the client from now on; the client would answer the server's
            // ACKs of bytes it never sent with ACKs of its own, for ever.
            net.nicA.disable();
            int count = 60_000;
            long before = LiveHeap.bytes();

            for (int k = 0; k < count; k++) {
                byte[] one = {(byte) k};
                net.pipe.a().writeFrame(dataSegment(net, peer.client.localPort(), info.sndNxt() + k, info.rcvNxt(), one));
                if (k % 1000 == 999) {
                    net.settle();
                }
            }
            net.settle();

            long retained = LiveHeap.bytes() - before;
            TcpProtocol tcp = tcp(net.b);
            String figures = tcp.memory() + ", heap retained " + retained + " for " + count + " bytes";
            assertEquals(count, peer.server.available(), figures);
            assertTrue(tcp.memory().used() < 2L * count, figures);
            assertTrue(retained <= LIMIT + MEASUREMENT_SLACK, figures);
            ByteBuffer received = ByteBuffer.allocate(count);
            assertEquals(count, peer.server.read(received));
            for (int k = 0; k < count; k++) {
                assertEquals((byte) k, received.get(k), "byte " + k);
            }
            assertEquals(0, tcp.memory().used());
        }
    }

    /**
     * Sends {@code segments} full segments from {@code client}'s 4-tuple starting one byte past
     * what it has sent, so that none of it can be delivered; the first alone, so that the ACK it
     * draws opens the server's window for the rest.
     */
    private static void sendBehindAHole(TwoStacks net, TcpEndpoint client, int segments) {
        TcpInfo info = client.info();
        byte[] payload = new byte[SEGMENT];
        for (int k = 0; k < segments; k++) {
            int seq = info.sndNxt() + 1 + k * SEGMENT;
            net.pipe.a().writeFrame(dataSegment(net, client.localPort(), seq, info.rcvNxt(), payload));
            if (k == 0) {
                net.settle();
            }
        }
        net.settle();
    }

    private static PacketBuffer dataSegment(TwoStacks net, int sourcePort, int seq, int ack, byte[] payload) {
        int tcpLength = TcpHeader.MIN_LENGTH + payload.length;
        int ipLength = Ipv4Header.MIN_LENGTH + tcpLength;
        PacketBuffer p = PacketBuffer.allocate(0, EthernetHeader.LENGTH + ipLength);
        byte[] a = p.array();
        new EthernetHeader(a, 0).encode(net.pipe.a().linkAddress(), net.pipe.b().linkAddress(), EthernetHeader.TYPE_IPV4);
        new Ipv4Header(a, EthernetHeader.LENGTH).encode(
                Ipv4Fields.of(ADDRESS_A.toInt(), ADDRESS_B.toInt(), Ipv4Header.PROTOCOL_TCP, 64, seq, ipLength, true));
        int tcpAt = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        TcpHeader tcp = new TcpHeader(a, tcpAt);
        tcp.encode(sourcePort, PORT, seq, ack, TcpHeader.ACK, 0xffff, TcpHeader.MIN_LENGTH);
        System.arraycopy(payload, 0, a, tcpAt + TcpHeader.MIN_LENGTH, payload.length);
        int sum = Checksum.ipv4PseudoHeader(ADDRESS_A.toInt(), ADDRESS_B.toInt(), Ipv4Header.PROTOCOL_TCP, tcpLength);
        tcp.setChecksum(Checksum.finish(Checksum.add(sum, a, tcpAt, tcpLength)));
        return p;
    }

    /** Moves {@code length} random bytes from {@code from} to {@code to}, advancing time only when the wire stalls. */
    private static void assertTransfers(TwoStacks net, TcpEndpoint from, TcpEndpoint to, int length) throws IOException {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer scratch = ByteBuffer.allocate(16 << 10);
        for (int round = 0; round < 1000 && received.size() < length; round++) {
            int before = received.size();
            from.write(src);
            net.settle();
            int n;
            while ((n = to.read(scratch.clear())) > 0) {
                received.write(scratch.array(), 0, n);
            }
            net.settle();
            if (received.size() == before) {
                net.advance(Duration.ofMillis(200)); // a delayed ACK or a retransmission is due
            }
        }
        assertArrayEquals(data, received.toByteArray(), "the good connection moved " + received.size() + " bytes");
    }
}
