package io.jnetstack.spi;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Future} of an asynchronous channel operation, as the JDK's PendingFuture: cancelling
 * it ends the operation (after which the channel refuses that direction), and
 * {@code cancel(true)} also closes the channel.
 */
final class AsyncFuture<V> implements Future<V>, PendingIo.Completion<V> {
    private final CompletableFuture<V> outcome = new CompletableFuture<>();
    private final Closeable channel;
    private volatile PendingIo<?> operation;

    private AsyncFuture(Closeable channel) {
        this.channel = channel;
    }

    /** A future for an operation about to start; {@link #track} names it before it starts. */
    static <V> AsyncFuture<V> pending(Closeable channel) {
        return new AsyncFuture<>(channel);
    }

    /** A future already holding {@code result} or {@code failure}. */
    static <V> AsyncFuture<V> settled(V result, Throwable failure) {
        AsyncFuture<V> f = new AsyncFuture<>(null);
        f.complete(result, failure, false);
        return f;
    }

    void track(PendingIo<?> operation) {
        this.operation = operation;
    }

    @Override
    public void complete(V result, Throwable failure, boolean onGroupThread) {
        if (failure == null) {
            outcome.complete(result);
        } else {
            outcome.completeExceptionally(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        PendingIo<?> op = operation;
        if (op == null || !op.cancel()) {
            return false;
        }
        outcome.cancel(false);
        if (mayInterruptIfRunning) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // as the JDK's: the cancellation stands whatever the close reports
            }
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return outcome.isCancelled();
    }

    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        return outcome.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return outcome.get(timeout, unit);
    }
}
