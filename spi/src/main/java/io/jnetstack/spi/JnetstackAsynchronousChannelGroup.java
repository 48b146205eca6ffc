package io.jnetstack.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that complete the asynchronous operations of a set of channels, with the JDK's
 * life cycle: after {@link #shutdown()} no channel may join, and the group terminates (its
 * executor is shut down, as the JDK's owns it) once its last channel has closed. No thread waits
 * for I/O: the endpoints' waiter queues hand each ready operation to the executor, which runs
 * the operation's next try and the completion handler.
 */
final class JnetstackAsynchronousChannelGroup extends AsynchronousChannelGroup {
    private static final AtomicInteger TIMER_THREADS = new AtomicInteger();

    private final ExecutorService executor;
    private final Object lock = new Object();
    private final Set<Closeable> channels = new HashSet<>();
    private boolean shutdown;
    private ScheduledExecutorService timer;

    JnetstackAsynchronousChannelGroup(AsynchronousChannelProvider provider, ExecutorService executor) {
        super(provider);
        this.executor = executor;
    }

    /** Makes {@code channel} one of the group's, which {@link #shutdownNow()} closes. */
    void attach(Closeable channel) {
        synchronized (lock) {
            if (shutdown) {
                throw new ShutdownChannelGroupException();
            }
            channels.add(channel);
        }
    }

    /** Called when {@code channel} has closed; the last channel of a shut-down group terminates it. */
    void detach(Closeable channel) {
        synchronized (lock) {
            channels.remove(channel);
            if (shutdown && channels.isEmpty()) {
                terminate();
            }
        }
    }

    /**
     * Runs {@code task} on one of the group's threads.
     *
     * @throws ShutdownChannelGroupException if the group has terminated, as the JDK's does
     */
    void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            ShutdownChannelGroupException shut = new ShutdownChannelGroupException();
            shut.initCause(e);
            throw shut;
        }
    }

    /** Runs {@code task} after {@code delay}, on the group's timer thread, which must only hand work on. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        synchronized (lock) {
            if (timer == null) {
                ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("jnetstack-async-timer-"
                        + TIMER_THREADS.incrementAndGet()));
                t.setRemoveOnCancelPolicy(true); // a read that completes in time leaves nothing behind
                timer = t;
            }
            try {
                return timer.schedule(task, delay, unit);
            } catch (RejectedExecutionException e) {
                throw new ShutdownChannelGroupException();
            }
        }
    }

    /** A factory of daemon threads named {@code name}, as the JDK's for its internal threads. */
    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            if (shutdown) {
                return;
            }
            shutdown = true;
            if (channels.isEmpty()) {
                terminate();
            }
        }
    }

    @Override
    public void shutdownNow() throws IOException {
        List<Closeable> open;
        synchronized (lock) {
            shutdown = true;
            open = new ArrayList<>(channels);
            if (open.isEmpty()) {
                terminate();
            }
        }
        for (Closeable channel : open) {
            channel.close(); // the last one to close terminates the group
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }

    /** Lets the handlers already handed to the executor run, then ends its threads. */
    private void terminate() {
        executor.shutdown();
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
