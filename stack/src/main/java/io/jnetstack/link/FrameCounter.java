package io.jnetstack.link;

import java.util.concurrent.atomic.LongAdder;

/** A thread-safe count of frames and of their bytes, for one kind of event on a link. */
public final class FrameCounter {
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** Counts one frame of {@code length} bytes. */
    public void record(int length) {
        frames.increment();
        bytes.add(length);
    }

    public long frames() {
        return frames.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    @Override
    public String toString() {
        return frames() + " frames/" + bytes() + " bytes";
    }
}
