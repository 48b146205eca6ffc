package io.jnetstack.bench;

import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * Blocks a thread until a stack endpoint is ready, woken by the endpoint's waiter queue (the way
 * the NIO provider's blocking channels wait), never by polling. Every wait is bounded by the
 * benchmark's deadline, so a lost wake-up ends the run with an error instead of hanging it.
 * One thread waits at a time (a stream is driven by one thread). A wait allocates nothing, as a
 * semaphore's timed acquire would (a queue node each time it blocks), so the benchmark's
 * allocation per operation is the stack's alone.
 */
final class EndpointWaiter implements AutoCloseable {
    private final WaiterQueue queue;
    private final IntUnaryOperator readiness;
    private final long deadlineNanos;
    private final WaiterEntry entry;
    /** The thread in {@link #await}, to unpark on an event; null when none waits. */
    private volatile Thread waiting;

    /**
     * Registers on {@code queue} for {@code events}; {@code readiness} answers which of a mask's
     * events hold now (an endpoint's {@code readiness(mask)}).
     */
    EndpointWaiter(WaiterQueue queue, int events, IntUnaryOperator readiness, long deadlineNanos) {
        this.queue = queue;
        this.readiness = readiness;
        this.deadlineNanos = deadlineNanos;
        this.entry = new WaiterEntry(events, e -> {
            Thread t = waiting;
            if (t != null) {
                LockSupport.unpark(t);
            }
        });
        // Registered before any check, so an event between a check and the wait is not lost.
        queue.register(entry);
    }

    /** Returns once one of {@code mask}'s events holds. */
    void await(int mask) throws IOException {
        // Set before the first check: an event after a check unparks us, and the permit it leaves ends the next park at once.
        waiting = Thread.currentThread();
        try {
            while (readiness.applyAsInt(mask) == 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("endpoint not ready before the benchmark's deadline");
                }
                LockSupport.parkNanos(this, left); // may return early or spuriously: the loop checks again
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for an endpoint");
                }
            }
        } finally {
            waiting = null;
        }
    }

    @Override
    public void close() {
        queue.unregister(entry);
    }
}
