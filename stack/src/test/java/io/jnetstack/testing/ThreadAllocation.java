package io.jnetstack.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Heap bytes the calling thread allocates while it runs a piece of code (HotSpot's per-thread counter). */
public final class ThreadAllocation {
    private ThreadAllocation() {
    }

    /** Bytes {@code work} allocated on this thread; skips the test on a JVM that cannot count them. */
    public static long bytesAllocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean bean && bean.isThreadAllocatedMemorySupported() ? bean : null;
        assumeTrue(threads != null, "this JVM does not count the heap bytes a thread allocates");
        threads.setThreadAllocatedMemoryEnabled(true);
        long self = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(self);
        work.run();
        return threads.getThreadAllocatedBytes(self) - before;
    }
}
