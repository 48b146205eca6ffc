package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.net.BindException;
import java.net.PortUnreachableException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpExchangeTest {
    private final TwoStacks net = TwoStacks.create();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void datagramsFlowBothWaysWithTheSendersAddress() throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        a.bind(IpAddress.IPV4_ANY, 5000);
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(ADDRESS_B, 6000);

        a.send(payload("hello B"), ADDRESS_B, 6000);
        net.settle();
        UdpEndpoint.Datagram atB = b.receive();
        assertEquals("hello B", text(atB));
        assertEquals(ADDRESS_A, atB.sourceAddress());
        assertEquals(5000, atB.sourcePort());

        b.send(payload("hello A"), atB.sourceAddress(), atB.sourcePort());
        net.settle();
        UdpEndpoint.Datagram atA = a.receive();
        assertEquals("hello A", text(atA));
        assertEquals(ADDRESS_B, atA.sourceAddress());
        assertEquals(6000, atA.sourcePort());
    }

    @Test
    void anUnboundSenderGetsAnEphemeralPort() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV4_ANY, 6000);
        UdpEndpoint a = net.udpA.newEndpoint();
        a.send(payload("x"), ADDRESS_B, 6000);
        net.settle();

        int port = b.receive().sourcePort();
        assertEquals(a.localPort(), port);
        assertTrue(port >= 32768 && port <= 60999, "ephemeral port " + port);
    }

    @Test
    void aDatagramWakesTheReceiversWaiters() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV4_ANY, 6000);
        AtomicInteger events = new AtomicInteger();
        b.waiterQueue().register(new WaiterEntry(Events.IN, events::addAndGet));
        assertEquals(0, b.readiness(Events.IN));

        net.udpA.newEndpoint().send(payload("wake"), ADDRESS_B, 6000);
        net.settle();

        assertEquals(Events.IN, events.get());
        assertEquals(Events.IN, b.readiness(Events.IN));
    }

    @Test
    void aConnectedEndpointOnlyReceivesFromItsPeer() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV4_ANY, 6000);
        b.connect(ADDRESS_A, 5001);
        UdpEndpoint stranger = net.udpA.newEndpoint();
        stranger.bind(IpAddress.IPV4_ANY, 5002);
        UdpEndpoint peer = net.udpA.newEndpoint();
        peer.bind(IpAddress.IPV4_ANY, 5001);

        stranger.send(payload("not for you"), ADDRESS_B, 6000);
        peer.send(payload("for you"), ADDRESS_B, 6000);
        net.settle();

        assertEquals("for you", text(b.receive()));
        assertNull(b.receive());
    }

    @Test
    void sendingToAClosedPortMakesAConnectedSenderSeePortUnreachable() throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        a.connect(ADDRESS_B, 9999);
        a.send(payload("anyone?"), null, 0);
        net.settle();

        assertEquals(1, net.b.stats().get(StackCounter.UDP_NO_PORT));
        assertEquals(1, net.b.stats().get(StackCounter.ICMP_ERRORS_SENT));
        assertEquals(Events.ERR, a.readiness(Events.ERR));
        assertThrows(PortUnreachableException.class, a::receive);
        assertNull(a.receive(), "the error is reported once");
    }

    @Test
    void twoEndpointsCannotBindTheSamePort() throws Exception {
        net.udpB.newEndpoint().bind(IpAddress.IPV4_ANY, 6000);
        UdpEndpoint second = net.udpB.newEndpoint();
        assertThrows(BindException.class, () -> second.bind(ADDRESS_B, 6000));
    }

    @Test
    void closingReleasesThePort() throws Exception {
        UdpEndpoint first = net.udpB.newEndpoint();
        first.bind(IpAddress.IPV4_ANY, 6000);
        first.close();
        UdpEndpoint second = net.udpB.newEndpoint();
        second.bind(IpAddress.IPV4_ANY, 6000);
        net.udpA.newEndpoint().send(payload("again"), ADDRESS_B, 6000);
        net.settle();
        assertNotNull(second.receive());
    }
}
