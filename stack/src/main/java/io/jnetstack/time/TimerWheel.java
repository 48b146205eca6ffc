package io.jnetstack.time;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A hashed timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels", scheme 6)
 * run by one daemon thread. Time is cut into ticks; a timer due at tick {@code d} hangs in slot
 * {@code d mod slots}, in a doubly linked list threaded through the timer itself, so arming,
 * re-arming and cancelling are O(1) and allocate nothing. A deadline more than one turn away stays
 * in its slot until the turn in which it falls due (the timer keeps its absolute tick, so no round
 * counter needs updating).
 *
 * <p>The thread sleeps until the next occupied slot (found through a bitmap of occupied slots), or
 * until a timer is armed for an earlier tick; with no timer armed it sleeps until one is. It moves
 * the timers due into a list of their own and runs them one by one, taking each off the list under
 * the lock, so a timer re-armed or cancelled after it fell due but before its action started does
 * not run for the old deadline. Actions run outside the lock and may arm any timer, their own
 * included. An action that throws is handed to the failure handler; the thread goes on.
 *
 * <p>A timer never runs before its deadline; it runs late by up to one tick plus scheduling delay.
 * Timers run in the order of their ticks, timers of one tick in the order they were armed, except
 * after the thread was kept from running for over a whole turn, when the timers that fell due
 * meanwhile run in slot order.
 */
final class TimerWheel {
    private static final int UNLINKED = -1;
    /** The longest delay honoured as such: keeps tick arithmetic far from overflow (about 73 years). */
    private static final long MAX_DELAY_NANOS = 1L << 61;
    /** {@link #sleepingUntilTick} while the thread is awake: arming need not wake it. */
    private static final long AWAKE = Long.MIN_VALUE;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final long tickNanos;
    private final int slotMask;
    /** Index into {@link #heads}/{@link #tails} of the list of timers due and waiting to run. */
    private final int dueList;
    /** First and last timer of each slot's list, then of the due list. */
    private final Node[] heads;
    private final Node[] tails;
    /** One bit per slot that holds a timer. */
    private final long[] occupied;
    private final long origin = System.nanoTime();
    private final Consumer<Throwable> onTaskFailure;
    private final Thread thread;
    /** Every slot up to this tick has been walked, so every timer in the wheel is due later. */
    private long walkedTick;
    private long sleepingUntilTick = AWAKE;
    private boolean closed;

    /**
     * @param slots a power of two, at least 64
     */
    TimerWheel(String threadName, long tickNanos, int slots, Consumer<Throwable> onTaskFailure) {
        if (tickNanos <= 0 || slots < 64 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("need a positive tick and a power-of-two slot count of at least 64, got "
                    + tickNanos + " ns and " + slots);
        }
        this.tickNanos = tickNanos;
        this.slotMask = slots - 1;
        this.dueList = slots;
        this.heads = new Node[slots + 1];
        this.tails = new Node[slots + 1];
        this.occupied = new long[slots / 64];
        this.onTaskFailure = onTaskFailure;
        this.thread = new Thread(this::runTimers, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    RearmableTimer newTimer(Runnable action) {
        return new Node(action);
    }

    /** Stops the thread; timers still pending never run, and arming does nothing from now on. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        LockSupport.unpark(thread);
    }

    private long tickNow() {
        return (System.nanoTime() - origin) / tickNanos;
    }

    private void arm(Node timer, long delayNanos) {
        long delay = Math.min(Math.max(0, delayNanos), MAX_DELAY_NANOS);
        long sinceOrigin = System.nanoTime() - origin + delay;
        // Rounded up: the slot of tick d is walked once d whole ticks have passed, never before the deadline.
        long deadlineTick = (sinceOrigin + tickNanos - 1) / tickNanos;
        boolean wake = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            unlink(timer);
            timer.deadlineTick = deadlineTick;
            link(timer, deadlineTick <= walkedTick ? dueList : (int) (deadlineTick & slotMask));
            if (deadlineTick < sleepingUntilTick) {
                sleepingUntilTick = deadlineTick;
                wake = true;
            }
        }
        if (wake) {
            LockSupport.unpark(thread);
        }
    }

    private synchronized boolean cancel(Node timer) {
        if (timer.list == UNLINKED) {
            return false;
        }
        unlink(timer);
        return true;
    }

    private synchronized boolean isPending(Node timer) {
        return timer.list != UNLINKED;
    }

    private void link(Node timer, int list) {
        Node tail = tails[list];
        timer.prev = tail;
        timer.next = null;
        if (tail == null) {
            heads[list] = timer;
            if (list != dueList) {
                occupied[list >>> 6] |= 1L << list;
            }
        } else {
            tail.next = timer;
        }
        tails[list] = timer;
        timer.list = list;
    }

    private void unlink(Node timer) {
        int list = timer.list;
        if (list == UNLINKED) {
            return;
        }
        if (timer.prev == null) {
            heads[list] = timer.next;
        } else {
            timer.prev.next = timer.next;
        }
        if (timer.next == null) {
            tails[list] = timer.prev;
        } else {
            timer.next.prev = timer.prev;
        }
        if (heads[list] == null && list != dueList) {
            occupied[list >>> 6] &= ~(1L << list);
        }
        timer.prev = null;
        timer.next = null;
        timer.list = UNLINKED;
    }

    private void runTimers() {
        while (true) {
            Node due;
            long sleepNanos;
            synchronized (this) {
                if (closed) {
                    return;
                }
                sleepingUntilTick = AWAKE;
                if (heads[dueList] == null) {
                    walkTo(tickNow());
                }
                due = heads[dueList];
                if (due != null) {
                    unlink(due);
                    sleepNanos = 0;
                } else {
                    sleepingUntilTick = nextOccupiedTick();
                    sleepNanos = sleepingUntilTick == NO_DEADLINE
                            ? NO_DEADLINE
                            : origin + sleepingUntilTick * tickNanos - System.nanoTime();
                }
            }
            if (due != null) {
                runAction(due.action);
            } else if (sleepNanos == NO_DEADLINE) {
                LockSupport.park(this);
            } else if (sleepNanos > 0) {
                LockSupport.parkNanos(this, sleepNanos);
            }
        }
    }

    /** Moves every timer due by {@code tick} to the due list, walking each slot passed since the last walk. */
    private void walkTo(long tick) {
        long from = walkedTick + 1;
        if (tick - from > slotMask) {
            from = tick - slotMask; // one whole turn visits every slot
        }
        for (long t = from; t <= tick; t++) {
            int slot = (int) (t & slotMask);
            for (Node n = heads[slot]; n != null; ) {
                Node next = n.next;
                if (n.deadlineTick <= tick) {
                    unlink(n);
                    link(n, dueList);
                }
                n = next;
            }
        }
        walkedTick = Math.max(walkedTick, tick);
    }

    /** The first tick after {@link #walkedTick} whose slot holds a timer, or {@link #NO_DEADLINE}. */
    private long nextOccupiedTick() {
        int start = (int) ((walkedTick + 1) & slotMask);
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << start);
        for (int i = 0; i <= occupied.length; i++) {
            if (bits != 0) {
                int slot = (word << 6) + Long.numberOfTrailingZeros(bits);
                return walkedTick + 1 + ((slot - start) & slotMask);
            }
            word = (word + 1) % occupied.length;
            bits = occupied[word];
        }
        return NO_DEADLINE;
    }

    private void runAction(Runnable action) {
        try {
            action.run();
        } catch (Throwable failure) {
            try {
                onTaskFailure.accept(failure);
            } catch (Throwable handlerFailed) {
                // A handler that throws (say, out of heap while logging) must not take the timer thread with it.
            }
        }
        // An interrupt left by an action is not for the next one, and would keep park from sleeping.
        Thread.interrupted();
    }

    /** A timer and its place in the wheel: the one object it owns for its lifetime. */
    private final class Node implements RearmableTimer {
        final Runnable action;
        Node prev;
        Node next;
        long deadlineTick;
        /** The slot or due list holding it, or {@link #UNLINKED}. */
        int list = UNLINKED;

        Node(Runnable action) {
            this.action = action;
        }

        @Override
        public void arm(long delayNanos) {
            TimerWheel.this.arm(this, delayNanos);
        }

        @Override
        public boolean cancel() {
            return TimerWheel.this.cancel(this);
        }

        @Override
        public boolean isPending() {
            return TimerWheel.this.isPending(this);
        }
    }
}
