package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.stack.LinkAddressCache.State;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.ArpFrames;
import io.jnetstack.testing.TwoStacks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP and the neighbour cache between two stacks: acknowledged data keeps the peer's entry
 * reachable without ARP, and a spoofed gratuitous ARP for the peer stalls a live connection only
 * until retransmission timeouts have the entry probed and resolved again.
 */
class TcpNeighbourReachabilityTest {
    private static final int PORT = 80;
    private static final LinkAddress ATTACKER_MAC = LinkAddress.parse("02:00:00:00:00:66");
    private static final Duration STEP = Duration.ofMillis(100);

    private final TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build();
    private TcpEndpoint client;
    private TcpEndpoint server;
    private long received;

    @BeforeEach
    void connect() throws IOException {
        TcpEndpoint listener = ((TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
        listener.bind(ADDRESS_B, PORT);
        listener.listen(1);
        client = ((TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
        client.connect(ADDRESS_B, PORT);
        net.settle();
        server = listener.accept();
        assertNotNull(server);
    }

    @AfterEach
    void close() {
        net.close();
    }

    /**
     * Moves time in steps short enough that every ACK crosses the wire before a retransmission
     * timeout could fire ({@link TwoStacks#advance} runs all due timers before it settles the wire).
     */
    private void idle(Duration d) {
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plus(STEP)) {
            net.advance(STEP);
        }
    }

    /**
     * Writes {@code bytes} on the client, then moves time in steps until the server has read them
     * all, and lets the connection go quiet; returns how long the bytes took to arrive.
     */
    private Duration deliver(int bytes, Duration limit) throws IOException {
        assertEquals(bytes, client.write(ByteBuffer.allocate(bytes)));
        long target = received + bytes;
        ByteBuffer sink = ByteBuffer.allocate(65536);
        Duration elapsed = Duration.ZERO;
        while (true) {
            net.settle();
            int n;
            while ((n = server.read(sink.clear())) > 0) {
                received += n;
            }
            if (received >= target || elapsed.compareTo(limit) >= 0) {
                idle(Duration.ofSeconds(1));
                return elapsed;
            }
            net.advance(STEP);
            elapsed = elapsed.plus(STEP);
        }
    }

    @Test
    void acknowledgedDataKeepsThePeerReachableWithoutArp() throws IOException {
        for (int second = 0; second < 40; second++) {
            deliver(1000, Duration.ofSeconds(1));
        }
        assertEquals(State.REACHABLE, net.nicA.neighbors().state(ADDRESS_B));
        assertEquals(0, net.a.stats().get(StackCounter.ARP_PROBES_SENT));
        assertEquals(1, net.a.stats().get(StackCounter.ARP_REQUESTS_SENT));
    }

    @Test
    void connectionRecoversFromASpoofedGratuitousArpForThePeerWithinEightSeconds() throws IOException {
        deliver(1000, Duration.ofSeconds(1));
        // B's entry for A is fresh, so B does not probe A (which would repair A's entry as a side
        // effect) within the test: the recovery must come from A's own probing.
        net.nicB.neighbors().update(ADDRESS_A, net.pipe.a().linkAddress());
        net.nicA.deliverNetworkPacket(ArpFrames.gratuitous(ADDRESS_B, ATTACKER_MAC));
        assertEquals(ATTACKER_MAC, net.nicA.neighbors().lookup(ADDRESS_B));

        Duration stall = deliver(1000, Duration.ofSeconds(60));

        assertEquals(2000, received, "the data got through");
        assertTrue(stall.compareTo(Duration.ofSeconds(8)) <= 0, "stalled for " + stall);
        assertEquals(net.pipe.b().linkAddress(), net.nicA.neighbors().lookup(ADDRESS_B));
        // Three unanswered probes to the spoofed address; later timeouts may probe the repaired one too.
        assertTrue(net.a.stats().get(StackCounter.ARP_PROBES_SENT) >= 3, "unicast probes to the spoofed address");
        assertTrue(net.b.stats().get(StackCounter.FRAMES_NOT_FOR_US) > 0, "B saw the misaddressed frames and dropped them");
    }

    @Test
    void requestFromThePeerItselfRepairsASpoofedEntry() throws IOException {
        deliver(1000, Duration.ofSeconds(1));
        net.nicA.deliverNetworkPacket(ArpFrames.gratuitous(ADDRESS_B, ATTACKER_MAC));
        net.nicA.deliverNetworkPacket(ArpFrames.request(ADDRESS_B, net.pipe.b().linkAddress(), ADDRESS_A));

        Duration stall = deliver(1000, Duration.ofSeconds(60));

        assertEquals(Duration.ZERO, stall);
        assertEquals(net.pipe.b().linkAddress(), net.nicA.neighbors().lookup(ADDRESS_B));
    }
}
