package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.bound;
import static io.jnetstack.transport.udp.UdpFixtures.connected;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.net.PortUnreachableException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which endpoint an arriving datagram reaches. A connected endpoint owns only its 4-tuple, so a
 * datagram from anyone else finds no socket and is answered with port unreachable, as on Linux.
 */
class UdpDemuxTest {
    private final TwoStacks net = TwoStacks.create();

    @AfterEach
    void close() {
        net.close();
    }

    private UdpEndpoint boundA(int port) throws Exception {
        return bound(net.udpA, IpAddress.IPV4_ANY, port);
    }

    private UdpEndpoint connectedB(int port, IpAddress peer, int peerPort) throws Exception {
        return connected(net.udpB, port, peer, peerPort);
    }

    @Test
    void aDatagramFromAnotherSourceThanTheConnectedPeerIsAnsweredWithPortUnreachable() throws Exception {
        connectedB(6000, ADDRESS_A, 5001);
        UdpEndpoint stranger = net.udpA.newEndpoint();
        stranger.connect(ADDRESS_B, 6000);

        stranger.send(payload("not your peer"), null, 0);
        net.settle();

        assertEquals(1, net.b.stats().get(StackCounter.UDP_NO_PORT));
        assertThrows(PortUnreachableException.class, stranger::receive);
    }

    @Test
    void connectedEndpointsOnDifferentPortsEachReceiveOnlyTheirPeersDatagrams() throws Exception {
        UdpEndpoint toFirst = connectedB(6001, ADDRESS_A, 5001);
        UdpEndpoint toSecond = connectedB(6002, ADDRESS_A, 5002);
        UdpEndpoint first = boundA(5001);
        UdpEndpoint second = boundA(5002);

        first.send(payload("1 to 6001"), ADDRESS_B, 6001);
        second.send(payload("2 to 6001"), ADDRESS_B, 6001);
        second.send(payload("2 to 6002"), ADDRESS_B, 6002);
        first.send(payload("1 to 6002"), ADDRESS_B, 6002);
        net.settle();

        assertEquals(List.of("1 to 6001"), receiveAll(toFirst));
        assertEquals(List.of("2 to 6002"), receiveAll(toSecond));
        assertEquals(2, net.b.stats().get(StackCounter.UDP_NO_PORT));
    }

    @Test
    void connectingDropsDatagramsAlreadyQueuedFromOtherSenders() throws Exception {
        UdpEndpoint b = bound(net.udpB, IpAddress.IPV4_ANY, 6000);
        boundA(5001).send(payload("from the peer"), ADDRESS_B, 6000);
        boundA(5002).send(payload("from a stranger"), ADDRESS_B, 6000);
        net.settle();

        b.connect(ADDRESS_A, 5001);

        assertEquals(List.of("from the peer"), receiveAll(b));
    }

    @Test
    void afterDisconnectDatagramsFromAnySenderArriveAgain() throws Exception {
        UdpEndpoint b = connectedB(6000, ADDRESS_A, 5001);
        b.disconnect();

        boundA(5002).send(payload("from a stranger"), ADDRESS_B, 6000);
        net.settle();

        assertEquals(List.of("from a stranger"), receiveAll(b));
        assertEquals(6000, b.localPort());
    }

    @Test
    void reconnectingMovesTheEndpointToItsNewPeer() throws Exception {
        UdpEndpoint b = connectedB(6000, ADDRESS_A, 5001);
        UdpEndpoint oldPeer = boundA(5001);
        UdpEndpoint newPeer = boundA(5002);

        b.connect(ADDRESS_A, 5002);
        oldPeer.send(payload("old peer"), ADDRESS_B, 6000);
        newPeer.send(payload("new peer"), ADDRESS_B, 6000);
        net.settle();

        assertEquals(List.of("new peer"), receiveAll(b));
    }
}
