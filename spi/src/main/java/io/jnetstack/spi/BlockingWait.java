package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.locks.LockSupport;

/**
 * How a channel in blocking mode waits: it retries an operation each time the endpoint's waiter
 * queue announces one of the awaited events, parking in between, never polling. Closing the
 * channel (which an interrupt also does, through {@code AbstractInterruptibleChannel}) must
 * notify the queue so that a parked thread sees it.
 */
final class BlockingWait {
    /** One try of a blocking operation: its result, or null when it would block. */
    @FunctionalInterface
    interface Attempt<T> {
        T tryOnce() throws IOException;
    }

    private BlockingWait() {
    }

    /**
     * Retries {@code attempt} until it gives a result. Returns null if the channel closed, the
     * thread was interrupted, or {@code timeoutNanos} (if positive; otherwise no limit) passed
     * first; the caller's {@code end(...)} turns the first two into the JDK's exceptions.
     */
    static <T> T await(WaiterQueue queue, int events, long timeoutNanos, Channel channel, Attempt<T> attempt)
            throws IOException {
        T result = attempt.tryOnce();
        if (result != null) {
            return result;
        }
        Thread me = Thread.currentThread();
        WaiterEntry entry = new WaiterEntry(events | Events.ERR | Events.HUP, fired -> LockSupport.unpark(me));
        queue.register(entry);
        try {
            long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
            // Registered before the retry, so an event after it unparks us.
            while ((result = attempt.tryOnce()) == null) {
                if (!channel.isOpen() || me.isInterrupted()) {
                    return null;
                }
                if (!Parking.park(queue, timeoutNanos > 0, deadline)) {
                    return null;
                }
            }
            return result;
        } finally {
            queue.unregister(entry);
        }
    }
}
