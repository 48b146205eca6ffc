package io.jnetstack.network;

import io.jnetstack.stack.NetworkProtocol;

/** Sets of network protocols to register with {@link io.jnetstack.stack.Stack.Builder#network}. */
public final class NetworkProtocols {
    private NetworkProtocols() {
    }

    /**
     * What an IPv4 host needs on Ethernet and loopback links: ARP and IPv4 (with its ICMPv4), new
     * instances with their defaults.
     */
    public static NetworkProtocol[] ipv4() {
        return new NetworkProtocol[] {new ArpProtocol(), new Ipv4Protocol()};
    }

    /**
     * What a dual-stack host needs: ARP, IPv4 (with ICMPv4) and IPv6 (with ICMPv6 and Neighbor
     * Discovery), new instances with their defaults.
     */
    public static NetworkProtocol[] ipv4AndIpv6() {
        return new NetworkProtocol[] {new ArpProtocol(), new Ipv4Protocol(), new Ipv6Protocol()};
    }
}
