package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import java.util.List;

/**
 * What the in-memory links ({@link LoopbackLink}, {@link PipeLink}) share: attributes, the
 * attached dispatcher, the length check and the hand-off of written frames to a
 * {@link FrameDeliverer}. Subclasses decide how a frame is made ready for the receiver.
 */
abstract class InMemoryLink implements LinkEndpoint {
    private final LinkType linkType;
    private final int mtu;
    private final LinkAddress linkAddress;
    private final LinkStats stats = new LinkStats();
    // Set once by connect() before the link is handed out; volatile so any writer thread sees them.
    private volatile FrameDeliverer outbound;
    /** Directions to stop on close: the outbound one and the one delivering to this end. */
    private volatile List<FrameDeliverer> deliverers = List.of();
    private volatile NetworkDispatcher dispatcher;
    private volatile boolean closed;

    InMemoryLink(LinkType linkType, int mtu, LinkAddress linkAddress) {
        if (mtu < 1) {
            throw new IllegalArgumentException("mtu must be at least 1, got " + mtu);
        }
        this.linkType = linkType;
        this.mtu = mtu;
        this.linkAddress = linkAddress;
    }

    /** Sets where written frames go and which deliverers close with this end; called once, before use. */
    final void connect(FrameDeliverer outbound, FrameDeliverer inbound) {
        this.deliverers = inbound == outbound ? List.of(outbound) : List.of(outbound, inbound);
        this.outbound = outbound;
    }

    /**
     * Makes a written frame fit to hand to the receiver, which will own it. Runs on the writer's
     * thread, so afterwards the writer's slices may be reused.
     */
    abstract PacketBuffer prepareForReceiver(PacketBuffer frame);

    /** The dispatcher to deliver to, or null when closed or detached. */
    final NetworkDispatcher activeDispatcher() {
        return closed ? null : dispatcher;
    }

    /** Counters of the frames written on this end. */
    public LinkStats stats() {
        return stats;
    }

    @Override
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public LinkAddress linkAddress() {
        return linkAddress;
    }

    @Override
    public void attach(NetworkDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean isAttached() {
        return dispatcher != null;
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        int length = frame.length();
        stats.sent().record(length);
        if (closed || length > mtu + linkType.headerLength()) {
            stats.dropped().record(length);
            return;
        }
        outbound.submit(prepareForReceiver(frame));
    }

    /** {@link #prepareForReceiver} runs on the writer's thread and leaves no reference to the writer's slices. */
    @Override
    public final boolean releasesSlicesOnWrite() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
        for (FrameDeliverer d : deliverers) {
            d.close();
        }
    }

    /** True once {@link #close} has been called. */
    public boolean isClosed() {
        return closed;
    }
}
