package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;

/**
 * An ICMP error concerning a packet an endpoint sent, delivered to that endpoint (RFC 1122
 * §4.1.3.3 for UDP, RFC 9293 §3.9 for TCP). {@code mtu} is set for {@link Kind#PACKET_TOO_BIG}.
 */
public record TransportError(Kind kind, IpAddress reporter, IpAddress originalDestination, int mtu) {
    public enum Kind {
        /** Hard for a connecting socket: "Connection refused". */
        PORT_UNREACHABLE,
        /** "No route to host". */
        HOST_UNREACHABLE,
        NETWORK_UNREACHABLE,
        PROTOCOL_UNREACHABLE,
        /** Fragmentation needed and DF set (RFC 1191). */
        PACKET_TOO_BIG,
        TIME_EXCEEDED,
        PARAMETER_PROBLEM
    }
}
