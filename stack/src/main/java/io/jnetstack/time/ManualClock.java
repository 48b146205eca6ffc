package io.jnetstack.time;

import java.time.Duration;
import java.util.Arrays;

/**
 * A clock that moves only when a test calls {@link #advance}; due timers run inside that call, on
 * the caller's thread, in deadline order, timers with one deadline in the order they were armed.
 * Not thread-safe by design: tests that use it run the whole stack on one thread.
 *
 * <p>Armed timers sit in a binary min-heap in which each timer knows its own index, so arming,
 * re-arming and cancelling are O(log n), allocate nothing, and a cancelled timer leaves the heap
 * at once: a test that arms and cancels many timers holds no more memory than the real clock.
 */
public final class ManualClock implements Clock {
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;
    private static final int NOT_QUEUED = -1;

    private ManualTimer[] heap = new ManualTimer[16];
    private int size;
    private long now;
    /** Arming order, the tie-break between timers with one deadline. */
    private long armings;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + now / 1_000_000;
    }

    @Override
    public RearmableTimer newTimer(Runnable action) {
        return new ManualTimer(action);
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
        while (size > 0 && heap[0].deadline <= target) {
            ManualTimer next = heap[0];
            removeAt(0);
            now = Math.max(now, next.deadline);
            next.action.run();
        }
        now = target;
    }

    /** Deadline of the earliest pending timer in nanoseconds from now, or -1 if none. */
    public long nanosUntilNextTimer() {
        return size == 0 ? -1 : heap[0].deadline - now;
    }

    /** Number of timers that are still pending. */
    public int pendingTimers() {
        return size;
    }

    private void insert(ManualTimer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        siftUp(t.index);
    }

    private void removeAt(int i) {
        ManualTimer removed = heap[i];
        removed.index = NOT_QUEUED;
        size--;
        if (i != size) {
            heap[i] = heap[size];
            heap[i].index = i;
            heap[size] = null;
            siftDown(i);
            siftUp(i);
        } else {
            heap[i] = null;
        }
    }

    private void siftUp(int i) {
        ManualTimer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!t.dueBefore(heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(t, i);
    }

    private void siftDown(int i) {
        ManualTimer t = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].dueBefore(heap[child])) {
                child++;
            }
            if (!heap[child].dueBefore(t)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(t, i);
    }

    private void place(ManualTimer t, int i) {
        heap[i] = t;
        t.index = i;
    }

    private final class ManualTimer implements RearmableTimer {
        final Runnable action;
        long deadline;
        long armedAs;
        int index = NOT_QUEUED;

        ManualTimer(Runnable action) {
            this.action = action;
        }

        boolean dueBefore(ManualTimer o) {
            return deadline != o.deadline ? deadline < o.deadline : armedAs < o.armedAs;
        }

        @Override
        public void arm(long delayNanos) {
            cancel();
            deadline = delayNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + Math.max(0, delayNanos);
            armedAs = armings++;
            insert(this);
        }

        @Override
        public boolean cancel() {
            if (index == NOT_QUEUED) {
                return false;
            }
            removeAt(index);
            return true;
        }

        @Override
        public boolean isPending() {
            return index != NOT_QUEUED;
        }
    }
}
