package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.bound;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.network.Icmpv4Protocol;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors and UDP. The stack answers a datagram for a closed port with port unreachable
 * (RFC 1122 §4.1.3.1), within the ICMP error rate limit (RFC 1812 §4.3.2.8); an error about a
 * datagram an endpoint sent reaches it only if it is connected, as on Linux (RFC 1122 §4.1.3.3).
 */
class UdpIcmpErrorTest {
    private static final int CLOSED_PORT = 9999;

    private final TwoStacks net = TwoStacks.create();

    @AfterEach
    void close() {
        net.close();
    }

    /** An unbound endpoint of A connected to {@code port} on B: connecting binds an ephemeral port. */
    private UdpEndpoint connectedTo(int port) throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        a.connect(ADDRESS_B, port);
        return a;
    }

    private void sendToClosedPort(UdpEndpoint sender, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            sender.send(payload("anyone?"), ADDRESS_B, CLOSED_PORT);
        }
        net.settle();
    }

    @Test
    void portUnreachableWakesAConnectedEndpointsWaitersWithInAndErr() throws Exception {
        UdpEndpoint a = connectedTo(CLOSED_PORT);
        AtomicInteger events = new AtomicInteger();
        a.waiterQueue().register(new WaiterEntry(Events.ALL, fired -> events.accumulateAndGet(fired, (x, y) -> x | y)));

        a.send(payload("anyone?"), null, 0);
        net.settle();

        assertEquals(Events.IN | Events.ERR, events.get());
        assertEquals(Events.IN | Events.ERR, a.readiness(Events.ALL & ~Events.OUT));
    }

    @Test
    void theErrorReachesOnlyTheEndpointWhoseDatagramCausedIt() throws Exception {
        UdpEndpoint listener = bound(net.udpB, IpAddress.IPV4_ANY, 6000);
        UdpEndpoint toClosed = connectedTo(CLOSED_PORT);
        UdpEndpoint toOpen = connectedTo(6000);

        toClosed.send(payload("to nobody"), null, 0);
        toOpen.send(payload("to someone"), null, 0);
        net.settle();

        assertThrows(PortUnreachableException.class, toClosed::receive);
        assertEquals(0, toOpen.readiness(Events.ERR));
        assertNull(toOpen.receive());
        assertEquals(List.of("to someone"), receiveAll(listener));
    }

    @Test
    void afterReportingTheErrorTheEndpointKeepsWorking() throws Exception {
        UdpEndpoint a = connectedTo(CLOSED_PORT);
        a.send(payload("too early"), null, 0);
        net.settle();
        assertThrows(PortUnreachableException.class, a::receive);

        UdpEndpoint b = bound(net.udpB, IpAddress.IPV4_ANY, CLOSED_PORT);
        a.send(payload("now you are there"), null, 0);
        net.settle();
        UdpEndpoint.Datagram atB = b.receive();
        b.send(payload("yes"), atB.sourceAddress(), atB.sourcePort());
        net.settle();

        assertEquals("now you are there", UdpFixtures.text(atB));
        assertEquals(List.of("yes"), receiveAll(a));
    }

    @Test
    void anUnconnectedSenderIsNotToldAboutPortUnreachable() throws Exception {
        UdpEndpoint a = bound(net.udpA, IpAddress.IPV4_ANY, 5000);

        sendToClosedPort(a, 1);

        assertEquals(1, net.a.stats().get(StackCounter.ICMP_ERRORS_RECEIVED));
        assertEquals(0, a.readiness(Events.IN | Events.ERR));
        assertNull(a.receive());
    }

    @Test
    void disconnectingDiscardsAPendingError() throws Exception {
        UdpEndpoint a = connectedTo(CLOSED_PORT);
        a.send(payload("anyone?"), null, 0);
        net.settle();

        a.disconnect();

        assertEquals(0, a.readiness(Events.ERR));
        assertNull(a.receive());
    }

    @Test
    void portUnreachableAnswersMeetTheIcmpErrorRateLimit() throws Exception {
        int burst = Icmpv4Protocol.DEFAULT_ERROR_BURST;
        UdpEndpoint a = net.udpA.newEndpoint();

        sendToClosedPort(a, burst + 10);

        assertEquals(burst + 10, net.b.stats().get(StackCounter.UDP_NO_PORT));
        assertEquals(burst, net.b.stats().get(StackCounter.ICMP_ERRORS_SENT));
        assertEquals(10, net.b.stats().get(StackCounter.ICMP_ERRORS_RATE_LIMITED));
        assertEquals(burst, net.a.stats().get(StackCounter.ICMP_ERRORS_RECEIVED));
    }

    @Test
    void theRateLimitLetsOneMoreAnswerThroughPerTokenInterval() throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        sendToClosedPort(a, Icmpv4Protocol.DEFAULT_ERROR_BURST);
        long sentBefore = net.b.stats().get(StackCounter.ICMP_ERRORS_SENT);

        net.advance(Duration.ofNanos(Math.round(1e9 / Icmpv4Protocol.DEFAULT_ERRORS_PER_SECOND)));
        sendToClosedPort(a, 2);

        assertEquals(sentBefore + 1, net.b.stats().get(StackCounter.ICMP_ERRORS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.ICMP_ERRORS_RATE_LIMITED));
    }
}
