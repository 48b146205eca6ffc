package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.bound;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.stack.PortManager;
import io.jnetstack.testing.TwoStacks;
import java.net.BindException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Binding a UDP endpoint: which address and port it gets, and which binds conflict (as bind(2) on Linux). */
class UdpBindTest {
    /** A second address of stack B, so binds to different specific addresses can be told apart. */
    private static final IpAddress ADDRESS_B2 = IpAddress.parse("10.0.0.3");

    private final TwoStacks net = TwoStacks.create();

    UdpBindTest() {
        net.nicB.addAddress(new IpSubnet(ADDRESS_B2, TwoStacks.PREFIX));
    }

    @AfterEach
    void close() {
        net.close();
    }

    private UdpEndpoint boundB(String address, int port) throws Exception {
        return bound(net.udpB, IpAddress.parse(address), port);
    }

    @ParameterizedTest(name = "{0} then {1} on one port: conflict")
    @CsvSource({
        "10.0.0.2, 10.0.0.2",
        "10.0.0.2, 0.0.0.0",
        "0.0.0.0,  10.0.0.2",
        "0.0.0.0,  0.0.0.0",
    })
    void overlappingBindsOfOnePortConflict(String first, String second) throws Exception {
        boundB(first, 6000);
        UdpEndpoint other = net.udpB.newEndpoint();

        BindException e = assertThrows(BindException.class, () -> other.bind(IpAddress.parse(second), 6000));
        assertEquals("Address already in use", e.getMessage());
    }

    @Test
    void aFailedBindLeavesTheEndpointUnboundAndFreeToBindElsewhere() throws Exception {
        boundB("0.0.0.0", 6000);
        UdpEndpoint other = net.udpB.newEndpoint();
        assertThrows(BindException.class, () -> other.bind(ADDRESS_B, 6000));

        other.bind(ADDRESS_B, 6001);

        assertEquals(6001, other.localPort());
    }

    @Test
    void differentSpecificAddressesShareAPortAndEachReceivesItsOwnDatagrams() throws Exception {
        UdpEndpoint first = boundB("10.0.0.2", 6000);
        UdpEndpoint second = boundB("10.0.0.3", 6000);
        UdpEndpoint sender = net.udpA.newEndpoint();

        sender.send(payload("to .2"), ADDRESS_B, 6000);
        sender.send(payload("to .3"), ADDRESS_B2, 6000);
        net.settle();

        assertEquals(List.of("to .2"), receiveAll(first));
        assertEquals(List.of("to .3"), receiveAll(second));
    }

    @Test
    void aWildcardBindReceivesDatagramsForEveryLocalAddress() throws Exception {
        UdpEndpoint any = boundB("0.0.0.0", 6000);
        UdpEndpoint sender = net.udpA.newEndpoint();

        sender.send(payload("to .2"), ADDRESS_B, 6000);
        sender.send(payload("to .3"), ADDRESS_B2, 6000);
        net.settle();

        assertEquals(List.of("to .2", "to .3"), receiveAll(any));
    }

    @Test
    void anAddressThatIsNotLocalCannotBeBound() {
        UdpEndpoint ep = net.udpB.newEndpoint();

        BindException e = assertThrows(BindException.class, () -> ep.bind(ADDRESS_A, 6000));
        assertEquals("Cannot assign requested address", e.getMessage());
    }

    @Test
    void anEndpointBindsOnlyOnce() throws Exception {
        UdpEndpoint ep = boundB("0.0.0.0", 6000);

        SocketException e = assertThrows(SocketException.class, () -> ep.bind(IpAddress.IPV4_ANY, 6001));
        assertEquals("Already bound", e.getMessage());
        assertEquals(6000, ep.localPort());
    }

    @Test
    void aClosedEndpointCannotBind() {
        UdpEndpoint ep = net.udpB.newEndpoint();
        ep.close();

        assertThrows(ClosedChannelException.class, () -> ep.bind(IpAddress.IPV4_ANY, 6000));
    }

    @Test
    void portZeroGivesEachEndpointItsOwnEphemeralPort() throws Exception {
        UdpEndpoint first = boundB("0.0.0.0", 0);
        UdpEndpoint second = boundB("10.0.0.2", 0);

        for (UdpEndpoint ep : List.of(first, second)) {
            assertTrue(ep.isBound());
            assertTrue(ep.localPort() >= PortManager.DEFAULT_FIRST_EPHEMERAL
                    && ep.localPort() <= PortManager.DEFAULT_LAST_EPHEMERAL, "ephemeral port " + ep.localPort());
        }
        assertNotEquals(first.localPort(), second.localPort());
    }

    @Test
    void anEphemeralPortReceivesLikeAnyOther() throws Exception {
        UdpEndpoint ep = boundB("0.0.0.0", 0);

        net.udpA.newEndpoint().send(payload("found you"), ADDRESS_B, ep.localPort());
        net.settle();

        assertEquals(List.of("found you"), receiveAll(ep));
    }

    @Test
    void connectingAnUnboundEndpointBindsAnEphemeralPortOnTheRoutesSourceAddress() throws Exception {
        UdpEndpoint ep = net.udpA.newEndpoint();

        ep.connect(ADDRESS_B, 6000);

        assertTrue(ep.isBound());
        assertTrue(ep.localPort() >= PortManager.DEFAULT_FIRST_EPHEMERAL, "ephemeral port " + ep.localPort());
        assertEquals(ADDRESS_A, ep.localAddress());
    }

    @Test
    void closingTheHolderOfAWildcardFreesThePortForASpecificBind() throws Exception {
        boundB("0.0.0.0", 6000).close();

        UdpEndpoint specific = boundB("10.0.0.2", 6000);

        assertEquals(6000, specific.localPort());
    }
}
