package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;

/**
 * A resolved path from a local address to one remote address: the NIC to leave through, the next
 * hop, and the network protocol that frames the packet. Transport endpoints hold a route and send
 * every packet of a flow through it.
 */
public interface Route {
    IpAddress localAddress();

    IpAddress remoteAddress();

    /** The NIC this route leaves through. */
    int nicId();

    /** Largest transport packet (transport header included) that fits the link without IP fragmentation. */
    int maxTransportPacket();

    /**
     * Largest transport packet (transport header included) the link cuts into MTU-sized segments
     * itself when the packet {@linkplain PacketBuffer#requestSegmentation asks}; 0 when it does not.
     */
    default int maxSegmentedTransportPacket() {
        return 0;
    }

    /** True if the link completes a transport checksum {@linkplain PacketBuffer#markChecksumPartial marked partial}. */
    default boolean completesChecksums() {
        return false;
    }

    /** Bytes of headroom a transport must reserve in front of its header for the layers below. */
    int maxHeaderLength();

    /** Partial sum of the pseudo-header for a transport packet of {@code length} bytes (RFC 9293 §3.1). */
    int pseudoHeaderChecksum(int protocol, int length);

    /** Time-to-live for packets this host originates on the route: the stack's configured TTL. */
    int ttl();

    /** True when the remote address is one of this stack's own (delivered without a wire). */
    boolean isLocal();

    /**
     * Prepends the IP header and sends {@code packet} (which starts with the transport header and
     * carries a correct transport checksum). Takes ownership of the packet. Packets larger than
     * the MTU are fragmented unless {@code dontFragment}, in which case they are dropped and counted.
     */
    void writePacket(int protocol, PacketBuffer packet, int ttl, boolean dontFragment);

    /**
     * True if {@link #writePacket} is done with the packet's payload slices when it returns (the
     * link copies them, and neighbour resolution holds a copy), so their arrays may be reused.
     */
    default boolean releasesSlicesOnWrite() {
        return false;
    }

    /**
     * Upper-layer reachability confirmation (RFC 4861 §7.3.1): the peer acknowledged new data, so
     * the next hop's link address works. Routes without neighbour resolution ignore it.
     */
    default void confirmReachable() {
    }

    /**
     * The upper layer's retransmission timed out: have the next hop's link address checked now
     * (Linux's negative advice puts the neighbour entry in PROBE). Routes without neighbour
     * resolution ignore it.
     */
    default void suspectUnreachable() {
    }
}
