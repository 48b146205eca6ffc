package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;

/**
 * A network protocol that carries transport packets between IP addresses (IPv4, IPv6). The stack
 * gives a route the one whose addresses are as long as the route's remote address, and the route
 * sends every packet through it.
 */
public interface InternetProtocol extends NetworkProtocol {
    /** Length of its addresses in bytes: 4 for IPv4, 16 for IPv6. */
    int addressLength();

    /** Bytes of header it puts in front of each transport packet it sends. */
    int headerLength();

    /** Largest transport packet (transport header included) one unfragmented packet carries over a link of {@code mtu}. */
    int maxTransportPacket(int mtu);

    /** Partial sum of the pseudo-header for a transport packet of {@code length} bytes (RFC 9293 §3.1). */
    int pseudoHeaderChecksum(IpAddress local, IpAddress remote, int protocol, int length);

    /**
     * Prepends its header to {@code packet} (which starts with the transport header) and hands it
     * to {@code nic} for the neighbour {@code nextHop}; the contract of {@link Route#writePacket}.
     */
    void send(Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop, int protocol, PacketBuffer packet,
              int ttl, boolean dontFragment);
}
