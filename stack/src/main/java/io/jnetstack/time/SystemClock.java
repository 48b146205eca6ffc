package io.jnetstack.time;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real time, with timers run on one daemon thread shared by every user of this clock. */
public final class SystemClock implements Clock {
    private final ScheduledThreadPoolExecutor timers;

    public SystemClock() {
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jnetstack-timer");
            t.setDaemon(true);
            return t;
        });
        // Cancelled TCP timers are common (every ACK re-arms the RTO); don't keep them queued.
        timers.setRemoveOnCancelPolicy(true);
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
