package io.jnetstack.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test calls {@link #advance}; due timers run inside that call, on
 * the caller's thread, in deadline order (ties in scheduling order). Not thread-safe by design:
 * tests that use it run the whole stack on one thread.
 *
 * <p>Like {@link SystemClock}, it lets go of cancelled timers: a cancelled timer drops its task at
 * once, and the queue sheds cancelled timers whenever they are most of it, so a test that arms and
 * cancels many timers (a flood of datagrams evicted before their timeout) holds no more memory
 * than the real clock would.
 */
public final class ManualClock implements Clock {
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;

    private final PriorityQueue<ManualTimer> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    /** Cancelled timers still in {@link #queue}. */
    private int cancelledInQueue;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + now / 1_000_000;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        ManualTimer t = new ManualTimer(now + Math.max(0, delayNanos), sequence++, task);
        queue.add(t);
        return t;
    }

    /** Moves time forward by {@code d}, running every timer that falls due on the way. */
    public void advance(Duration d) {
        advanceNanos(d.toNanos());
    }

    /** Moves time forward by {@code nanos}, running every timer that falls due on the way. */
    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot go back: " + nanos);
        }
        long target = now + nanos;
        while (true) {
            ManualTimer next = queue.peek();
            if (next == null || next.deadline > target) {
                break;
            }
            queue.poll();
            now = Math.max(now, next.deadline);
            if (next.cancelled) {
                cancelledInQueue--;
            } else {
                next.fired = true;
                next.task.run();
            }
        }
        now = target;
    }

    /** Deadline of the earliest pending timer in nanoseconds from now, or -1 if none. */
    public long nanosUntilNextTimer() {
        return queue.stream().filter(ManualTimer::isPending).mapToLong(t -> t.deadline - now).min().orElse(-1);
    }

    /** Number of timers that are still pending. */
    public int pendingTimers() {
        return (int) queue.stream().filter(ManualTimer::isPending).count();
    }

    private void onCancelled() {
        cancelledInQueue++;
        if (cancelledInQueue > queue.size() / 2) {
            queue.removeIf(t -> t.cancelled);
            cancelledInQueue = 0;
        }
    }

    private final class ManualTimer implements Timer, Comparable<ManualTimer> {
        final long deadline;
        final long seq;
        Runnable task;
        boolean cancelled;
        boolean fired;

        ManualTimer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            boolean wasPending = isPending();
            if (wasPending) {
                cancelled = true;
                task = null;
                onCancelled();
            }
            return wasPending;
        }

        @Override
        public boolean isPending() {
            return !cancelled && !fired;
        }

        @Override
        public int compareTo(ManualTimer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
