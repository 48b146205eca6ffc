package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One asynchronous operation in flight (a read, write, connect or accept). It tries once on the
 * caller's thread; if it would wait, a waiter entry on the endpoint's queue hands each awaited
 * event to the group's executor, whose thread tries again. No thread waits for it, nothing
 * polls. It ends exactly once: with a result, a failure, a timeout, a cancellation or an
 * abandonment (the channel closed).
 */
final class PendingIo<V> {
    /** One try of the operation: its result, or null when it would wait. */
    @FunctionalInterface
    interface Attempt<T> {
        T tryOnce() throws IOException;
    }

    /** Where the result goes. */
    @FunctionalInterface
    interface Completion<V> {
        /**
         * Delivers the result or the failure; {@code onGroupThread} says the caller is one of the
         * group's threads, which may run a completion handler itself.
         */
        void complete(V result, Throwable failure, boolean onGroupThread);
    }

    /** The channel's bookkeeping when the operation ends, before its result is delivered. */
    @FunctionalInterface
    interface Ending {
        /**
         * {@code killed}: by a timeout or a cancellation, after which the JDK refuses that
         * direction; {@code failure}: what the operation will fail with, or null.
         */
        void ended(boolean killed, Throwable failure);
    }

    private final JnetstackAsynchronousChannelGroup group;
    private final WaiterQueue queue;
    private final WaiterEntry entry;
    private final Attempt<V> attempt;
    private final Completion<V> completion;
    private final Ending ending;
    // At most one retry queued at a time, however many events fire before it runs.
    private final AtomicBoolean retryQueued = new AtomicBoolean();
    private boolean done; // guarded by this
    private ScheduledFuture<?> timeout; // guarded by this

    private PendingIo(JnetstackAsynchronousChannelGroup group, WaiterQueue queue, int events,
                      Attempt<V> attempt, Completion<V> completion, Ending ending) {
        this.group = group;
        this.queue = queue;
        this.entry = new WaiterEntry(events | Events.ERR | Events.HUP, fired -> queueRetry());
        this.attempt = attempt;
        this.completion = completion;
        this.ending = ending;
    }

    /** Completion by a handler, run on one of {@code group}'s threads. */
    private static <V, A> Completion<V> handler(JnetstackAsynchronousChannelGroup group,
                                                CompletionHandler<V, ? super A> handler, A attachment) {
        return (result, failure, onGroupThread) -> {
            Runnable call = () -> {
                if (failure == null) {
                    handler.completed(result, attachment);
                } else {
                    handler.failed(failure, attachment);
                }
            };
            if (onGroupThread) {
                call.run();
            } else {
                group.execute(call);
            }
        };
    }

    /**
     * Starts {@code attempt} as an operation of {@code channel}, which {@code pendingAs} records
     * (so that a close abandons it) before its first try. The attempt's non-null value means
     * done; {@code result} turns it into the operation's result (a connect's is null).
     *
     * @return its future, or null when {@code handler} gets the result
     */
    static <T, V, A> Future<V> launch(JnetstackAsynchronousChannelGroup group, Closeable channel, WaiterQueue queue, int events,
                                      Attempt<T> attempt, Function<T, V> result, Ending ending, long timeoutNanos,
                                      A attachment, CompletionHandler<V, ? super A> handler, Consumer<PendingIo<T>> pendingAs) {
        AsyncFuture<V> future = handler == null ? AsyncFuture.pending(channel) : null;
        Completion<V> target = future != null ? future : handler(group, handler, attachment);
        Completion<T> completion = (r, failure, onGroupThread) -> target.complete(r == null ? null : result.apply(r), failure,
                onGroupThread);
        PendingIo<T> op = new PendingIo<>(group, queue, events, attempt, completion, ending);
        if (future != null) {
            future.track(op);
        }
        pendingAs.accept(op);
        op.start(timeoutNanos);
        return future;
    }

    /**
     * An operation that ends before it starts (the channel is closed, shut down, or the buffer
     * full): its result goes to the handler on a group thread, or into the returned future.
     */
    static <V, A> Future<V> endNow(JnetstackAsynchronousChannelGroup group, V result, Throwable failure, A attachment,
                                   CompletionHandler<V, ? super A> handler) {
        if (handler == null) {
            return AsyncFuture.settled(result, failure);
        }
        PendingIo.<V, A>handler(group, handler, attachment).complete(result, failure, false);
        return null;
    }

    /**
     * Tries now; if it would wait, waits for the events and, when {@code timeoutNanos} is
     * positive, at most that long.
     *
     * @throws ShutdownChannelGroupException if it ended at once and the group can no longer run its handler
     */
    void start(long timeoutNanos) {
        if (tryOnce(false)) {
            return;
        }
        synchronized (this) {
            if (done) {
                return;
            }
            queue.register(entry);
            if (timeoutNanos > 0) {
                timeout = group.schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        // Registered now: an event between the first try and the registration is not lost.
        tryOnce(false);
    }

    private void queueRetry() {
        if (retryQueued.compareAndSet(false, true)) {
            try {
                group.execute(this::retry);
            } catch (ShutdownChannelGroupException e) {
                retryQueued.set(false); // the group is gone, and with it every channel that could complete this
            }
        }
    }

    private void retry() {
        retryQueued.set(false); // an event during this try queues the next one
        tryOnce(true);
    }

    /** One try; true if the operation is over. */
    private boolean tryOnce(boolean onGroupThread) {
        V result = null;
        Throwable failure = null;
        synchronized (this) {
            if (done) {
                return true;
            }
            try {
                result = attempt.tryOnce();
            } catch (Throwable e) {
                failure = e;
            }
            if (result == null && failure == null) {
                return false;
            }
            settle();
        }
        finish(result, failure, false, onGroupThread);
        return true;
    }

    private void timedOut() {
        synchronized (this) {
            if (done) {
                return;
            }
            settle();
        }
        finish(null, new InterruptedByTimeoutException(), true, false);
    }

    /** Ends the operation with {@code failure} (the channel closed); false if it had ended already. */
    boolean abandon(Throwable failure) {
        synchronized (this) {
            if (done) {
                return false;
            }
            settle();
        }
        finish(null, failure, false, false);
        return true;
    }

    /** Ends the operation without a result, for its future's cancel; false if it had ended already. */
    boolean cancel() {
        synchronized (this) {
            if (done) {
                return false;
            }
            settle();
        }
        ending.ended(true, null);
        return true;
    }

    private void settle() {
        done = true;
        queue.unregister(entry);
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private void finish(V result, Throwable failure, boolean killed, boolean onGroupThread) {
        // As the JDK's: the channel allows the next operation before the handler runs, so the handler may start it.
        ending.ended(killed, failure);
        completion.complete(result, failure, onGroupThread);
    }
}
