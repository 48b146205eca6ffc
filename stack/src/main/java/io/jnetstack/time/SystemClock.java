package io.jnetstack.time;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Real time, with timers run on one daemon thread shared by every user of this clock, from a
 * hashed timing wheel of 1 ms ticks ({@link TimerWheel}): arming, re-arming and cancelling cost
 * O(1) and allocate nothing. A timer task that throws, an {@link OutOfMemoryError} included, does
 * not stop the thread or the other timers; it is reported to the clock's failure handler.
 */
public final class SystemClock implements Clock {
    private static final System.Logger LOG = System.getLogger(SystemClock.class.getName());
    /** Fine enough for TCP's shortest timers (delayed ACK 40 ms, RTO 200 ms at least). */
    private static final long TICK_NANOS = 1_000_000;
    /** About 4 s per turn: retransmission and delayed-ACK deadlines fall due within their first turn. */
    private static final int SLOTS = 4096;

    private final TimerWheel wheel;

    /** A clock that logs the first failed timer task and ignores later ones. */
    public SystemClock() {
        this(logFirstFailure());
    }

    /** A clock that hands every failure of a timer task to {@code onTaskFailure} (on the timer thread). */
    public SystemClock(Consumer<Throwable> onTaskFailure) {
        wheel = new TimerWheel("jnetstack-timer", TICK_NANOS, SLOTS, onTaskFailure);
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
    public RearmableTimer newTimer(Runnable action) {
        return wheel.newTimer(action);
    }

    /** Stops the timer thread; pending timers never run, and timers armed later never run either. */
    public void shutdown() {
        wheel.close();
    }
}
