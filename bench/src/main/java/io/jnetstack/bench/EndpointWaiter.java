package io.jnetstack.bench;

import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * Blocks a thread until a stack endpoint is ready, woken by the endpoint's waiter queue (the way
 * the NIO provider's blocking channels wait), never by polling. Every wait is bounded by the
 * benchmark's deadline, so a lost wake-up ends the run with an error instead of hanging it.
 */
final class EndpointWaiter implements AutoCloseable {
    private final WaiterQueue queue;
    private final IntUnaryOperator readiness;
    private final long deadlineNanos;
    private final Semaphore fired = new Semaphore(0);
    private final WaiterEntry entry;

    /**
     * Registers on {@code queue} for {@code events}; {@code readiness} answers which of a mask's
     * events hold now (an endpoint's {@code readiness(mask)}).
     */
    EndpointWaiter(WaiterQueue queue, int events, IntUnaryOperator readiness, long deadlineNanos) {
        this.queue = queue;
        this.readiness = readiness;
        this.deadlineNanos = deadlineNanos;
        this.entry = new WaiterEntry(events, e -> fired.release());
        // Registered before any check, so an event between a check and the wait is not lost.
        queue.register(entry);
    }

    /** Returns once one of {@code mask}'s events holds. */
    void await(int mask) throws IOException {
        while (readiness.applyAsInt(mask) == 0) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left <= 0 || !fired.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw new IOException("endpoint not ready before the benchmark's deadline");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for an endpoint");
            }
            fired.drainPermits();
        }
    }

    @Override
    public void close() {
        queue.unregister(entry);
    }
}
