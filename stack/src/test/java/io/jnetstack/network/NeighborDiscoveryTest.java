package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.stack.LinkAddressCache.State;
import io.jnetstack.stack.RouteEntry;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.TwoStacks;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Neighbor Discovery (RFC 4861) and duplicate address detection (RFC 4862) between two stacks and from a stranger. */
class NeighborDiscoveryTest {
    private static final IpAddress STRANGER = IpAddress.parse("fd00::7");
    private static final int SOURCE_LINK_ADDRESS = 1;
    private static final int TARGET_LINK_ADDRESS = 2;
    private static final int SOLICITED_OVERRIDE = 0x60000000;

    private final TwoStacks net = TwoStacks.builder().ipv6().build();
    private final LinkAddress macA = net.pipe.a().linkAddress();

    @AfterEach
    void close() {
        net.close();
    }

    private void injectIntoA(io.jnetstack.buffer.PacketBuffer frame) {
        net.nicA.deliverNetworkPacket(frame);
        net.settle();
    }

    private void solicitA(int hopLimit) {
        injectIntoA(Ipv6Frames.icmp(macA, STRANGER, ADDRESS6_A.solicitedNodeMulticast(), hopLimit,
                Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION,
                Ipv6Frames.neighborBody(0, ADDRESS6_A, SOURCE_LINK_ADDRESS, Ipv6Frames.PEER_MAC)));
    }

    @Test
    void aResolvesBAndHoldsItReachableAfterTheSolicitedAdvertisement() throws Exception {
        net.a.findRoute(0, null, ADDRESS6_B).writePacket(59, io.jnetstack.buffer.PacketBuffer.allocate(80, 0), 64, false);
        net.settle();

        assertEquals(State.REACHABLE, net.nicA.neighbors().state(ADDRESS6_B));
        assertEquals(net.pipe.b().linkAddress(), net.nicA.neighbors().lookup(ADDRESS6_B));
        assertEquals(1, net.b.stats().get(StackCounter.NDP_ADVERTISEMENTS_SENT));
    }

    @Test
    void aSolicitationForOurAddressIsAnsweredAndLeavesTheSenderStale() {
        solicitA(255);

        assertEquals(1, net.a.stats().get(StackCounter.NDP_ADVERTISEMENTS_SENT));
        assertEquals(State.STALE, net.nicA.neighbors().state(STRANGER));
        assertEquals(Ipv6Frames.PEER_MAC, net.nicA.neighbors().lookup(STRANGER));
    }

    @Test
    void aSolicitationWithHopLimitBelow255IsCountedAndDroppedAndTheStackGoesOn() throws Exception {
        solicitA(254);

        assertEquals(1, net.a.stats().get(StackCounter.NDP_INVALID));
        assertEquals(0, net.a.stats().get(StackCounter.NDP_ADVERTISEMENTS_SENT));
        assertNull(net.nicA.neighbors().state(STRANGER));
        solicitA(255);
        assertEquals(1, net.a.stats().get(StackCounter.NDP_ADVERTISEMENTS_SENT));
    }

    @Test
    void anOptionOfLengthZeroMakesTheMessageInvalid() {
        byte[] body = Ipv6Frames.neighborBody(0, ADDRESS6_A, SOURCE_LINK_ADDRESS, Ipv6Frames.PEER_MAC);
        body[21] = 0;
        injectIntoA(Ipv6Frames.icmp(macA, STRANGER, ADDRESS6_A.solicitedNodeMulticast(), 255,
                Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, body));

        assertEquals(1, net.a.stats().get(StackCounter.NDP_INVALID));
        assertNull(net.nicA.neighbors().state(STRANGER));
    }

    @Test
    void anAdvertisementNobodyAskedForCreatesNoEntry() {
        injectIntoA(Ipv6Frames.icmp(macA, STRANGER, ADDRESS6_A, 255, Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT,
                Ipv6Frames.neighborBody(SOLICITED_OVERRIDE, STRANGER, TARGET_LINK_ADDRESS, Ipv6Frames.PEER_MAC)));

        assertNull(net.nicA.neighbors().state(STRANGER));
        assertEquals(1, net.a.stats().get(StackCounter.NDP_UNSOLICITED_IGNORED));
    }

    @Test
    void anAddressAnotherNodeHoldsIsRemovedAfterItsAdvertisement() {
        net.advance(NeighborDiscovery.DAD_WAIT); // B's own detection is over: B answers for the address
        net.nicA.addAddress(new IpSubnet(ADDRESS6_B, 64));
        net.settle();

        assertFalse(net.nicA.hasAddress(ADDRESS6_B));
        assertTrue(net.nicB.hasAddress(ADDRESS6_B));
        assertEquals(1, net.a.stats().get(StackCounter.NDP_DAD_DUPLICATES));
    }

    @Test
    void twoNodesDetectingTheSameAddressAtOnceBothGiveItUp() {
        IpAddress contested = IpAddress.parse("fd00::5");
        net.nicA.addAddress(new IpSubnet(contested, 64));
        net.nicB.addAddress(new IpSubnet(contested, 64));
        net.settle();

        assertFalse(net.nicA.hasAddress(contested));
        assertFalse(net.nicB.hasAddress(contested));
    }

    @Test
    void anAddressNobodyElseHoldsStopsBeingTentativeAfterTheWait() {
        IpAddress fresh = IpAddress.parse("fd00::9");
        net.nicA.addAddress(new IpSubnet(fresh, 64));
        NeighborDiscovery nd = net.a.network(Ipv6Protocol.class).neighborDiscovery();
        net.settle();
        assertTrue(nd.isTentative(fresh));

        net.advance(NeighborDiscovery.DAD_WAIT);

        assertFalse(nd.isTentative(fresh));
        assertTrue(net.nicA.hasAddress(fresh));
        assertEquals(0, net.a.stats().get(StackCounter.NDP_DAD_DUPLICATES));
    }

    @Test
    void aRouterAdvertisementWithALifetimeGivesADefaultRoute() throws Exception {
        IpAddress router = IpAddress.parse("fe80::1");
        injectIntoA(Ipv6Frames.icmp(LinkAddress.ofIpv6Multicast(IpAddress.IPV6_ALL_NODES), router,
                IpAddress.IPV6_ALL_NODES, 255, Icmpv6Header.TYPE_ROUTER_ADVERTISEMENT,
                Ipv6Frames.routerAdvertisementBody(1800, Ipv6Frames.PEER_MAC)));

        assertTrue(net.a.routes().entries().contains(RouteEntry.defaultVia(router, net.nicA.id())));
        assertEquals(ADDRESS6_A, net.a.findRoute(0, null, IpAddress.parse("2001:db8::1")).localAddress());
    }

    private static final IpAddress ROUTER = IpAddress.parse("fe80::1");

    private void advertiseRouter(IpAddress router, int lifetimeSeconds) {
        injectIntoA(Ipv6Frames.icmp(LinkAddress.ofIpv6Multicast(IpAddress.IPV6_ALL_NODES), router,
                IpAddress.IPV6_ALL_NODES, 255, Icmpv6Header.TYPE_ROUTER_ADVERTISEMENT,
                Ipv6Frames.routerAdvertisementBody(lifetimeSeconds, Ipv6Frames.PEER_MAC)));
    }

    @Test
    void anAdvertisedDefaultRouteEndsWithItsLifetimeUnlessRenewed() {
        RouteEntry route = RouteEntry.defaultVia(ROUTER, net.nicA.id());
        advertiseRouter(ROUTER, 10);
        net.advance(Duration.ofSeconds(9));
        advertiseRouter(ROUTER, 10);
        net.advance(Duration.ofSeconds(9));
        assertTrue(net.a.routes().entries().contains(route), "renewed at 9 s");

        net.advance(Duration.ofSeconds(1));

        assertFalse(net.a.routes().entries().contains(route));
    }

    @Test
    void aRouterAdvertisingLifetimeZeroIsNoLongerTheDefaultRoute() {
        advertiseRouter(ROUTER, 1800);
        advertiseRouter(ROUTER, 0);

        assertFalse(net.a.routes().entries().contains(RouteEntry.defaultVia(ROUTER, net.nicA.id())));
    }

    @Test
    void aConfiguredDefaultRouteIsNeitherReplacedNorWithdrawnByAdvertisements() {
        RouteEntry configured = RouteEntry.defaultVia(IpAddress.parse("fe80::fe"), net.nicA.id());
        net.a.addRoute(configured);
        advertiseRouter(ROUTER, 1800);
        advertiseRouter(IpAddress.parse("fe80::fe"), 0);

        assertTrue(net.a.routes().entries().contains(configured));
        assertFalse(net.a.routes().entries().contains(RouteEntry.defaultVia(ROUTER, net.nicA.id())));
    }

    @Test
    void aRouterAdvertisementFromAGlobalAddressIsInvalid() {
        injectIntoA(Ipv6Frames.icmp(macA, STRANGER, IpAddress.IPV6_ALL_NODES, 255,
                Icmpv6Header.TYPE_ROUTER_ADVERTISEMENT, Ipv6Frames.routerAdvertisementBody(1800, Ipv6Frames.PEER_MAC)));

        assertEquals(1, net.a.stats().get(StackCounter.NDP_INVALID));
        assertEquals(0, net.a.routes().entries().stream().filter(e -> e.gateway() != null).count());
    }

    @Test
    void everyEthernetNicGetsItsEui64LinkLocalAddress() {
        IpAddress expected = IpAddress.parse("fe80::" + eui64Suffix(macA));
        assertTrue(net.nicA.hasAddress(expected), net.nicA.addresses().toString());
        net.advance(Duration.ofSeconds(2));
        assertTrue(net.nicA.hasAddress(expected));
    }

    /** RFC 4291 Appendix A written out by hand: flip the U/L bit, ff:fe in the middle. */
    private static String eui64Suffix(LinkAddress mac) {
        byte[] m = mac.toByteArray();
        return String.format("%02x%02x:%02xff:fe%02x:%02x%02x", (m[0] ^ 2) & 0xff, m[1] & 0xff, m[2] & 0xff,
                m[3] & 0xff, m[4] & 0xff, m[5] & 0xff);
    }
}
