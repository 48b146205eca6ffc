package io.jnetstack.time;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Real time, with timers run on one daemon thread shared by every user of this clock. A timer task
 * that throws, an {@link OutOfMemoryError} included, does not stop the thread or the other timers;
 * it is reported to the clock's failure handler rather than lost in its future.
 */
public final class SystemClock implements Clock {
    private static final System.Logger LOG = System.getLogger(SystemClock.class.getName());

    private final ScheduledThreadPoolExecutor timers;

    /** A clock that logs the first failed timer task and ignores later ones. */
    public SystemClock() {
        this(logFirstFailure());
    }

    /** A clock that hands every failure of a timer task to {@code onTaskFailure} (on the timer thread). */
    public SystemClock(Consumer<Throwable> onTaskFailure) {
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jnetstack-timer");
            t.setDaemon(true);
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable task, Throwable thrown) {
                // Scheduled tasks run inside futures, which keep what they throw; fetch it from there.
                if (task instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        report(onTaskFailure, e.getCause());
                    } catch (InterruptedException | CancellationException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        // Cancelled TCP timers are common (every ACK re-arms the RTO); don't keep them queued.
        timers.setRemoveOnCancelPolicy(true);
    }

    /** A handler that throws (say, out of heap while logging) must not take the timer thread with it. */
    private static void report(Consumer<Throwable> onTaskFailure, Throwable cause) {
        try {
            onTaskFailure.accept(cause);
        } catch (Throwable handlerFailed) {
            // nothing left to report it to
        }
    }

    private static Consumer<Throwable> logFirstFailure() {
        AtomicBoolean logged = new AtomicBoolean();
        return cause -> {
            if (logged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.ERROR, "a jnetstack timer task failed; the timer thread goes on"
                        + " (later failures are not logged)", cause);
            }
        };
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = timers.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return new Timer() {
            @Override
            public boolean cancel() {
                return f.cancel(false);
            }

            @Override
            public boolean isPending() {
                return !f.isDone();
            }
        };
    }

    /** Stops the timer thread; pending timers never run. */
    public void shutdown() {
        timers.shutdownNow();
    }
}
