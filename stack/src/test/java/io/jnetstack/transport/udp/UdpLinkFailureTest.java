package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.bound;
import static io.jnetstack.transport.udp.UdpFixtures.connected;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.testing.Await;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A NIC whose link failed for good (its TAP device vanished) fails the UDP endpoints that can no
 * longer send or receive — bound to its address, or connected through it — with the link's error,
 * as it fails TCP connections; a wildcard endpoint still serves the stack's other NICs.
 */
class UdpLinkFailureTest {
    private static final int PORT = 5353;
    private final TwoStacks net = TwoStacks.create();
    private final IOException cause = new IOException("TAP device tap9: read failed: EBADFD");

    @AfterEach
    void close() {
        net.close();
    }

    private void assertFailsWithTheLinksError(UdpEndpoint ep) {
        assertEquals(Events.IN | Events.ERR, ep.readiness(Events.IN | Events.ERR), "a blocked receive wakes");
        assertEquals(cause.getMessage(), assertThrows(IOException.class, ep::receive).getMessage());
        assertEquals(cause.getMessage(), assertThrows(IOException.class, ep::receive).getMessage(), "and stays failed");
        assertEquals(cause.getMessage(),
                assertThrows(IOException.class, () -> ep.send(payload("x"), ADDRESS_B, PORT)).getMessage());
    }

    @Test
    void anEndpointBoundToTheFailedNicsAddressReadsWhatCameThenGetsTheLinksError() throws IOException {
        UdpEndpoint ep = bound(net.udpA, ADDRESS_A, PORT);
        net.udpB.newEndpoint().send(payload("before"), ADDRESS_A, PORT);
        net.settle();

        net.nicA.linkFailed(cause);

        assertEquals("before", text(ep.receive()));
        assertFailsWithTheLinksError(ep);
    }

    @Test
    void aWildcardEndpointConnectedThroughTheFailedNicGetsTheLinksError() throws IOException {
        UdpEndpoint ep = connected(net.udpA, PORT, ADDRESS_B, PORT);

        net.nicA.linkFailed(cause);

        assertFailsWithTheLinksError(ep);
    }

    @Test
    void aWildcardEndpointStillServesTheOtherNics() throws Exception {
        net.a.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
        UdpEndpoint ep = bound(net.udpA, IpAddress.IPV4_ANY, PORT);

        net.nicA.linkFailed(cause);

        assertEquals(0, ep.readiness(Events.ERR));
        assertNull(ep.receive());
        net.udpA.newEndpoint().send(payload("over loopback"), IpAddress.parse("127.0.0.1"), PORT);
        UdpEndpoint.Datagram d = awaitDatagram(ep);
        assertEquals("over loopback", text(d));
    }

    @Test
    void anEndpointOnAnotherNicIsLeftBe() throws IOException {
        net.a.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
        UdpEndpoint ep = bound(net.udpA, IpAddress.parse("127.0.0.1"), PORT);

        net.nicA.linkFailed(cause);

        assertEquals(0, ep.readiness(Events.ERR));
        assertNull(ep.receive());
    }

    @Test
    void closingTheStackFailsEveryEndpointWithAnAbort() throws IOException {
        UdpEndpoint ep = bound(net.udpA, IpAddress.IPV4_ANY, PORT);

        net.a.close();

        assertEquals(Events.ERR, ep.readiness(Events.ERR), "a blocked receive wakes");
        IOException thrown = assertThrows(IOException.class, ep::receive);
        assertEquals("Software caused connection abort: the jnetstack stack was closed", thrown.getMessage());
    }

    /** The loopback delivers on its own thread: waits for the datagram on the endpoint's queue. */
    private static UdpEndpoint.Datagram awaitDatagram(UdpEndpoint ep) throws Exception {
        Await.until(ep.waiterQueue(), Events.IN, () -> ep.readiness(Events.IN) != 0, Duration.ofSeconds(10),
                "the datagram over loopback");
        return ep.receive();
    }
}
