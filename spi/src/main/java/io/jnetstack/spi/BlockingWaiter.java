package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.concurrent.locks.LockSupport;

/**
 * How a channel in blocking mode waits: it retries an operation each time the endpoint's waiter
 * queue announces one of the awaited events, parking in between, never polling. Closing the
 * channel (which an interrupt also does, through {@code AbstractInterruptibleChannel}) must
 * notify the queue so that a parked thread sees it.
 *
 * <p>A channel keeps one waiter per direction and uses it under that direction's lock, so one
 * thread at a time waits on it. The waiter joins the queue on its first wait and stays, with no
 * interest while nobody waits: a blocking read or write in steady state allocates nothing (no
 * entry, no callback, no copy of the queue's array per call).
 */
final class BlockingWaiter implements WaiterEntry.EventCallback {
    /** One try of a blocking operation, which keeps its own result: true once done, false when it would block. */
    @FunctionalInterface
    interface Attempt {
        boolean tryOnce() throws IOException;
    }

    private final WaiterQueue queue;
    private final int interest;
    private final WaiterEntry entry;
    /** The thread waiting now, or null: whom an event unparks. */
    private volatile Thread waiting;
    private boolean joined;

    /** A waiter on {@code queue} for {@code events} (errors and hang-ups always end a wait too). */
    BlockingWaiter(WaiterQueue queue, int events) {
        this.queue = queue;
        this.interest = events | Events.ERR | Events.HUP;
        this.entry = new WaiterEntry(0, this);
    }

    /** Unparks the waiting thread, if any: the queue's callback. */
    @Override
    public void onEvents(int events) {
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Retries {@code attempt} until it is done. Returns false if the channel closed or the thread
     * was interrupted first; the caller's {@code end(...)} turns these into the JDK's exceptions.
     */
    boolean await(Channel channel, Attempt attempt) throws IOException {
        return await(0, null, channel, attempt);
    }

    /**
     * As {@link #await(Channel, Attempt)}, waiting at most {@code timeoutNanos} if it is positive
     * (otherwise without limit), as the socket adaptors' timeouts do.
     *
     * @throws SocketTimeoutException with {@code timeoutMessage}, when the time passes first
     */
    boolean await(long timeoutNanos, String timeoutMessage, Channel channel, Attempt attempt) throws IOException {
        if (attempt.tryOnce()) {
            return true;
        }
        Thread me = Thread.currentThread();
        waiting = me;
        if (!joined) {
            queue.register(entry);
            joined = true;
        }
        // Interested before the retry (both volatile writes, in this order), so an event after the
        // retry finds this thread to unpark.
        entry.setInterest(interest);
        try {
            long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
            while (!attempt.tryOnce()) {
                if (!channel.isOpen() || me.isInterrupted()) {
                    return false;
                }
                if (!Parking.park(queue, timeoutNanos > 0, deadline)) {
                    throw new SocketTimeoutException(timeoutMessage);
                }
            }
            return true;
        } finally {
            entry.setInterest(0);
            waiting = null;
        }
    }

    /**
     * A blocking read or write over the application's buffers, which a channel keeps for the next
     * one and uses under that direction's lock: the buffers go into its fields, not into a lambda
     * per call. A subclass's {@link #tryOnce} moves bytes and sets {@link #count}.
     */
    abstract static class BufferTransfer implements Attempt {
        final BlockingWaiter waiter;
        ByteBuffer[] buffers;
        int offset;
        int length;
        /** What the tries so far moved, as the operation reports it (a read's -1 at the end of the stream). */
        long count;

        BufferTransfer(WaiterQueue queue, int events) {
            waiter = new BlockingWaiter(queue, events);
        }

        /**
         * Tries until done, then {@link #count} says what moved. False if the channel closed or the
         * thread was interrupted first.
         *
         * @throws SocketTimeoutException with {@code timeoutMessage}, when {@code timeoutNanos} (if positive) pass first
         */
        final boolean run(ByteBuffer[] buffers, int offset, int length, long timeoutNanos, String timeoutMessage,
                          Channel channel) throws IOException {
            this.buffers = buffers;
            this.offset = offset;
            this.length = length;
            count = 0;
            try {
                return waiter.await(timeoutNanos, timeoutMessage, channel, this);
            } finally {
                this.buffers = null; // the application's buffers are not kept
            }
        }
    }

    /**
     * A blocking wait for something to take (a connection to accept, a datagram to receive), which
     * a channel keeps for the next one and uses under that direction's lock.
     */
    abstract static class Taking<T> implements Attempt {
        private final BlockingWaiter waiter;
        private T taken;

        Taking(WaiterQueue queue, int events) {
            waiter = new BlockingWaiter(queue, events);
        }

        /** What there is to take now, or null. */
        abstract T tryTake() throws IOException;

        @Override
        public final boolean tryOnce() throws IOException {
            taken = tryTake();
            return taken != null;
        }

        /**
         * The next thing taken, or null if the channel closed or the thread was interrupted first.
         *
         * @throws SocketTimeoutException with {@code timeoutMessage}, when {@code timeoutNanos} (if positive) pass first
         */
        final T take(long timeoutNanos, String timeoutMessage, Channel channel) throws IOException {
            try {
                waiter.await(timeoutNanos, timeoutMessage, channel, this);
                return taken;
            } finally {
                taken = null;
            }
        }
    }

    /** Leaves the queue: for a waiter used once (a blocking connect), not kept by its channel. */
    void leave() {
        if (joined) {
            queue.unregister(entry);
            joined = false;
        }
    }
}
