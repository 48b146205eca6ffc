package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.SocketTimeoutException;
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
     * Retries {@code attempt} until it gives a result. Returns null if the channel closed or the
     * thread was interrupted first; the caller's {@code end(...)} turns these into the JDK's
     * exceptions.
     */
    static <T> T await(WaiterQueue queue, int events, Channel channel, Attempt<T> attempt) throws IOException {
        return await(queue, events, 0, null, channel, attempt);
    }

    /**
     * As {@link #await(WaiterQueue, int, Channel, Attempt)}, waiting at most {@code timeoutNanos}
     * if it is positive (otherwise without limit), as the socket adaptors' timeouts do.
     *
     * @throws SocketTimeoutException with {@code timeoutMessage}, when the time passes first
     */
    static <T> T await(WaiterQueue queue, int events, long timeoutNanos, String timeoutMessage, Channel channel,
                       Attempt<T> attempt) throws IOException {
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
                    throw new SocketTimeoutException(timeoutMessage);
                }
            }
            return result;
        } finally {
            queue.unregister(entry);
        }
    }
}
