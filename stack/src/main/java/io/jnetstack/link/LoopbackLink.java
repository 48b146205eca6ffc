package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryAccount;
import io.jnetstack.buffer.PacketBuffer;
import java.util.concurrent.Executor;

/**
 * A link that delivers every frame written on it back to its own dispatcher: the loopback
 * interface. Frames are bare IP packets ({@link LinkType#RAW_IP}) and the link has no address.
 * Delivery is asynchronous by default (see {@link DeliveryMode}), so a reply written from inside
 * a dispatch is queued rather than handled recursively.
 */
public final class LoopbackLink extends InMemoryLink {
    /** Linux's loopback MTU. */
    public static final int DEFAULT_MTU = 65536;
    /**
     * Frame arrays kept for reuse once their receiver is done with them: 4 MiB at the default MTU.
     * Delivered inline, a sender puts a whole window of frames into the receive buffer before its
     * reader runs, and they come back together; with 16 kept, NioBench's bulk allocated about 15
     * KB per 64 KiB write and its resident memory peaked near 300 MiB; with 64, 4 KB and 150 MiB.
     */
    static final int MAX_SPARE_FRAME_ARRAYS = 64;

    /** Arrays that large frames are flattened into; the receive buffer gives them back once read. */
    private final ArrayPool frameArrays;

    /** A loopback link with the default MTU and its own delivery thread. */
    public LoopbackLink() {
        this(DEFAULT_MTU);
    }

    /** A loopback link with its own delivery thread. */
    public LoopbackLink(int mtu) {
        this(mtu, DeliveryMode.ownThread());
    }

    /** A loopback link that delivers through {@code deliveryExecutor}. */
    public LoopbackLink(int mtu, Executor deliveryExecutor) {
        this(mtu, DeliveryMode.on(deliveryExecutor));
    }

    public LoopbackLink(int mtu, DeliveryMode delivery) {
        super(LinkType.RAW_IP, mtu, LinkAddress.NONE);
        frameArrays = new ArrayPool(mtu + LinkType.RAW_IP.headerLength(), MAX_SPARE_FRAME_ARRAYS);
        FrameDeliverer toSelf = new FrameDeliverer(delivery, "jnetstack-loopback-delivery", this, stats());
        connect(toSelf, toSelf);
    }

    @Override
    public boolean deliversToItself() {
        return true;
    }

    /**
     * Nothing but memory lies between sender and receiver, so, as Linux's loopback does (it offers
     * checksum offload and the receiver trusts a {@code CHECKSUM_PARTIAL} packet,
     * {@code skb_csum_unnecessary}), a transport may leave its checksum partial and the receiver
     * takes it unverified: neither end sums the payload (see {@link #prepareForReceiver}).
     */
    @Override
    public boolean completesChecksums() {
        return true;
    }

    /**
     * The same stack receives the frame, so no copy is needed; flattening gives it contiguous bytes.
     * A large frame is flattened into an array of {@link #frameArrays}, which the receiver may take
     * over and give back ({@link PacketBuffer#takePooledFront()}). A partial checksum is vouched
     * for, since the bytes the sender left it over reach the receiver unchanged.
     */
    @Override
    PacketBuffer prepareForReceiver(PacketBuffer frame) {
        frame.flatten(frameArrays);
        if (frame.isChecksumPartial()) {
            frame.markChecksumVerified();
        }
        return frame;
    }

    @Override
    public void chargeSpareArraysTo(MemoryAccount account) {
        frameArrays.chargeTo(account);
    }

    /** Frame arrays held for reuse now. */
    public int spareFrameArrays() {
        return frameArrays.spareArrays();
    }

    @Override
    public String toString() {
        return "LoopbackLink[mtu=" + mtu() + ", " + stats() + "]";
    }
}
