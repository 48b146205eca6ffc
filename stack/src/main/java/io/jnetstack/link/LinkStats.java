package io.jnetstack.link;

/**
 * Counters of an in-memory link end, all about the frames written on that end: every frame
 * counted as {@link #sent()} ends up either {@link #delivered()} to the receiving dispatcher or
 * {@link #dropped()} (too long, queue full, link closed, no dispatcher attached), unless it is
 * still queued.
 */
public final class LinkStats {
    private final FrameCounter sent = new FrameCounter();
    private final FrameCounter delivered = new FrameCounter();
    private final FrameCounter dropped = new FrameCounter();

    /** Frames handed to {@code writeFrame}. */
    public FrameCounter sent() {
        return sent;
    }

    /** Frames handed to the receiving dispatcher. */
    public FrameCounter delivered() {
        return delivered;
    }

    /** Frames thrown away instead of delivered. */
    public FrameCounter dropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return "LinkStats[sent=" + sent + ", delivered=" + delivered + ", dropped=" + dropped + "]";
    }
}
