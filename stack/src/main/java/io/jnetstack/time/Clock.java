package io.jnetstack.time;

/**
 * The stack's only source of time. Protocol code never calls {@code System.nanoTime} or sleeps:
 * it reads {@link #nanoTime()} and schedules {@link Timer}s, so tests drive every timeout with a
 * {@link ManualClock}.
 */
public interface Clock {
    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch (for pcap timestamps and logs). */
    long currentTimeMillis();

    /**
     * Runs {@code task} once, {@code delayNanos} from now. The task runs on the clock's own thread
     * (or, for {@link ManualClock}, inside {@code advance}); it must be short and hand real work to
     * the thread that owns the state it touches.
     */
    Timer schedule(long delayNanos, Runnable task);
}
