package io.jnetstack.testing;

import java.lang.management.ManagementFactory;

/** What live objects take of the heap, for tests that check a flood's footprint. */
public final class LiveHeap {
    private LiveHeap() {
    }

    /** Heap in use after full collections. */
    public static long bytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
