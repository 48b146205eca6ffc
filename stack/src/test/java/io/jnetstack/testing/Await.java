package io.jnetstack.testing;

import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Blocks a test thread until a condition on an endpoint holds, woken by the endpoint's waiter queue
 * (the way an application blocks), never by polling. For stacks running on real threads.
 */
public final class Await {
    private Await() {
    }

    /**
     * Waits until {@code condition} is true, re-checking it whenever {@code queue} fires one of
     * {@code events}; fails with {@code what} after {@code timeout}.
     */
    public static void until(WaiterQueue queue, int events, BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        Semaphore fired = new Semaphore(0);
        WaiterEntry entry = new WaiterEntry(events, e -> fired.release());
        queue.register(entry);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            // Registered before the first check, so an event between check and wait is not lost.
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !fired.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
                }
                fired.drainPermits();
            }
        } finally {
            queue.unregister(entry);
        }
    }
}
