package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.MemoryAccount;
import io.jnetstack.buffer.PacketBuffer;

/**
 * The bottom of the stack: something that moves whole frames. A link does not parse or build
 * headers; the NIC frames packets according to {@link #linkType()} (an Ethernet header for
 * {@link LinkType#ETHERNET}, nothing for {@link LinkType#RAW_IP}) and hands the link complete
 * frames. Links can therefore be stacked: a pcap sniffer or a fault injector wraps any link.
 */
public interface LinkEndpoint extends AutoCloseable {
    /** Framing of the frames this link carries. */
    LinkType linkType();

    /** Largest network-layer packet (the frame minus its link header) the link carries. */
    int mtu();

    /** This end's hardware address, or {@link LinkAddress#NONE}. */
    LinkAddress linkAddress();

    /**
     * Starts delivering received frames to {@code dispatcher} (replacing any earlier one);
     * {@code null} stops delivery.
     */
    void attach(NetworkDispatcher dispatcher);

    /** True while a dispatcher is attached. */
    boolean isAttached();

    /**
     * Sends one complete frame (link header included). Takes ownership of {@code frame}. A frame
     * that cannot be sent (link down, queue full) is dropped and counted by the link; this method
     * does not block for long and does not throw for transient conditions.
     */
    void writeFrame(PacketBuffer frame);

    /**
     * True if {@link #writeFrame} is done with the frame's payload slices when it returns (it has
     * copied them, as the in-memory links do), so the writer may reuse their arrays afterwards.
     * False (the default) when the link may still read them later, e.g. from a queue.
     */
    default boolean releasesSlicesOnWrite() {
        return false;
    }

    /**
     * Largest packet (network header included, link header not) the link takes when asked to cut
     * it into segments itself ({@link PacketBuffer#requestSegmentation}), as a NIC with TCP
     * segmentation offload does; 0 (the default) when the link does not segment.
     */
    default int gsoMaxSize() {
        return 0;
    }

    /**
     * True if the link completes transport checksums marked {@linkplain PacketBuffer#markChecksumPartial
     * partial}, as a NIC with checksum offload does. False (the default): every frame written must
     * carry complete checksums.
     */
    default boolean completesChecksums() {
        return false;
    }

    /**
     * True if every frame written on this link comes back to this same link's dispatcher, as on a
     * loopback: the frame a capture sees sent is the frame it later sees delivered.
     */
    default boolean deliversToItself() {
        return false;
    }

    /**
     * Charges the arrays the link keeps for reuse (as the loopback keeps frame arrays) to
     * {@code account}, the stack's memory limit, before the link carries its first frame. Nothing
     * (the default) for a link that keeps none.
     */
    default void chargeSpareArraysTo(MemoryAccount account) {
    }

    /** Stops the link: no more frames are delivered or sent, and its resources are released. */
    @Override
    void close();
}
