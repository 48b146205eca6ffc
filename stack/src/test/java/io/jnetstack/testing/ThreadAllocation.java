package io.jnetstack.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

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

    /**
     * Average heap bytes per call of {@code step(0)} .. {@code step(times - 1)}, measured on a
     * second pass so that the first one has filled caches and compiled the code.
     */
    public static double averageBytesPerStep(int times, IntConsumer step) {
        Runnable steps = () -> {
            for (int i = 0; i < times; i++) {
                step.accept(i);
            }
        };
        steps.run();
        return (double) bytesAllocatedBy(steps) / times;
    }
}
