package io.jnetstack.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Memory figures a JVM can read about itself: heap bytes allocated so far (the garbage a stack
 * makes per operation is its main memory cost under load) and the process's peak resident set.
 */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    private Allocations() {
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            bean.setThreadAllocatedMemoryEnabled(true);
            return bean;
        }
        return null;
    }

    /**
     * Bytes allocated so far by the threads alive now, or -1 if the JVM cannot tell. A thread that
     * has ended no longer counts, so take both readings of a difference while the threads that do
     * the work (server, client, the stack's own) are alive.
     */
    static long allocatedByLiveThreads() {
        if (THREADS == null) {
            return -1;
        }
        return Arrays.stream(THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())).filter(b -> b > 0).sum();
    }

    /** The process's peak resident set in KiB (VmHWM in /proc/self/status), or -1 where unavailable. */
    static long peakResidentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // Not Linux, or /proc not mounted: the figure is simply absent.
        }
        return -1;
    }
}
