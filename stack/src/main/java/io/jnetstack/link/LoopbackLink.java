package io.jnetstack.link;

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
        FrameDeliverer toSelf = new FrameDeliverer(delivery, "jnetstack-loopback-delivery", this, stats());
        connect(toSelf, toSelf);
    }

    /** The same stack receives the frame, so no copy is needed; flattening gives it contiguous bytes. */
    @Override
    PacketBuffer prepareForReceiver(PacketBuffer frame) {
        frame.flatten();
        return frame;
    }

    @Override
    public String toString() {
        return "LoopbackLink[mtu=" + mtu() + ", " + stats() + "]";
    }
}
