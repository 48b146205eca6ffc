package io.jnetstack.time;

/**
 * The stack's only source of time. Protocol code never calls {@code System.nanoTime} or sleeps:
 * it reads {@link #nanoTime()} and arms {@link Timer}s, so tests drive every timeout with a
 * {@link ManualClock}.
 *
 * <p>Timer actions run on the clock's own thread (or, for {@link ManualClock}, inside
 * {@code advance}); they must be short and hand real work to the thread that owns the state they
 * touch. Timers that fall due together run in deadline order.
 */
public interface Clock {
    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch (for pcap timestamps and logs). */
    long currentTimeMillis();

    /** A timer that runs {@code action} each time it is armed and falls due; it starts disarmed. */
    RearmableTimer newTimer(Runnable action);

    /** Runs {@code task} once, {@code delayNanos} from now. For deadlines that move, keep a {@link #newTimer}. */
    default Timer schedule(long delayNanos, Runnable task) {
        RearmableTimer timer = newTimer(task);
        timer.arm(delayNanos);
        return timer;
    }
}
