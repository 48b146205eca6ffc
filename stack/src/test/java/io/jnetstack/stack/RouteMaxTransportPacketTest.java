package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import org.junit.jupiter.api.Test;

/** How big a transport packet a route takes: what fits both the link's MTU and an IPv4 header's total length. */
class RouteMaxTransportPacketTest {
    private static int maxTransportPacket(int mtu) throws Exception {
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).build()) {
            stack.createNic("lo", new LoopbackLink(mtu)).addAddress(IpSubnet.parse("127.0.0.1/8"));
            return stack.findRoute(0, null, IpAddress.IPV4_LOOPBACK).maxTransportPacket();
        }
    }

    @Test
    void theMtuLessTheIpHeader() throws Exception {
        assertEquals(1480, maxTransportPacket(1500));
    }

    @Test
    void neverMoreThanAnIpv4TotalLengthAllowsOnLoopbacksMtuOf65536() throws Exception {
        assertEquals(65535 - 20, maxTransportPacket(LoopbackLink.DEFAULT_MTU));
    }
}
