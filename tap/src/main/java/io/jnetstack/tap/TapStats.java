package io.jnetstack.tap;

import io.jnetstack.link.FrameCounter;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link TapLink}. A frame written is either {@link #sent()}, {@link #dropped()}
 * before reaching the device (too short, longer than the MTU, link closed) or lost to a
 * {@link #writeErrors() write error}; a frame read is {@link #received()} and then delivered or,
 * with no dispatcher attached, also {@link #dropped()}.
 */
final class TapStats {
    private final FrameCounter received = new FrameCounter();
    private final FrameCounter sent = new FrameCounter();
    private final FrameCounter dropped = new FrameCounter();
    private final LongAdder readErrors = new LongAdder();
    private final LongAdder writeErrors = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder segmentedWrites = new LongAdder();
    private final LongAdder coalescedReads = new LongAdder();

    /** Frames read from the device. */
    public FrameCounter received() {
        return received;
    }

    /** Frames the device accepted. */
    public FrameCounter sent() {
        return sent;
    }

    public FrameCounter dropped() {
        return dropped;
    }

    /** Failed reads or polls (after one, the reader thread stops: the device is gone). */
    public long readErrors() {
        return readErrors.sum();
    }

    /** Writes the device refused (EIO while the interface is down). */
    public long writeErrors() {
        return writeErrors.sum();
    }

    /**
     * Wake-ups that delivered frames: each delivers every frame the device held then (up to a
     * bound), so {@code received().frames() / batches()} is the mean batch size.
     */
    public long batches() {
        return batches.sum();
    }

    /** Frames written for the kernel to cut into segments (TCP segmentation offload). */
    public long segmentedWrites() {
        return segmentedWrites.sum();
    }

    /** Frames read that the kernel handed up unsegmented: its own large TCP packets. */
    public long coalescedReads() {
        return coalescedReads.sum();
    }

    void countSegmentedWrite() {
        segmentedWrites.increment();
    }

    void countCoalescedRead() {
        coalescedReads.increment();
    }

    void countBatch() {
        batches.increment();
    }

    void countReadError() {
        readErrors.increment();
    }

    void countWriteError() {
        writeErrors.increment();
    }

    @Override
    public String toString() {
        return "TapStats[received=" + received + ", sent=" + sent + ", dropped=" + dropped
                + ", batches=" + batches() + ", segmentedWrites=" + segmentedWrites()
                + ", coalescedReads=" + coalescedReads() + ", readErrors=" + readErrors() + ", writeErrors=" + writeErrors() + "]";
    }
}
