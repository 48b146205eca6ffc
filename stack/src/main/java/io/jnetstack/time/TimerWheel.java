package io.jnetstack.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A hashed timing wheel (Varghese and Lauck, "Hashed and Hierarchical Timing Wheels", scheme 6)
 * run by one daemon thread. Time is cut into ticks; a timer due at tick {@code d} hangs in slot
 * {@code d mod slots}, in a doubly linked list threaded through the timer itself, so placing and
 * removing a timer is O(1) and allocates nothing. A deadline more than one turn away stays in its
 * slot until the turn in which it falls due (the timer keeps its absolute tick, so no round counter
 * needs updating).
 *
 * <p>No lock: the slots belong to the wheel's thread alone. Arming, re-arming and cancelling, from
 * any thread, only write the timer's wanted tick (a volatile field; "none" when cancelled). Both
 * then push the timer onto a lock-free list of timers to place, unless it is already on it (a
 * CAS'd flag, so a timer is on the list at most once and a re-arm or cancel while it waits there
 * only changes the tick). The thread takes that list in each time it wakes, placing each timer by
 * the tick it wants then, or unlinking it if it wants none; a cancel does not wake the thread.
 * Arming and cancelling are thus a few atomic operations on the timer and one on the list's head.
 *
 * <p>Running is a claim: the thread runs a due timer only if it swaps the timer's wanted tick, still
 * the due one, for "none". A cancel or re-arm that returned before that swap therefore always wins
 * (the swap fails, and the old deadline's action never runs); one that came after it finds the
 * timer no longer pending (cancel returns false) and the action runs, once, for the deadline it
 * had — then again at the new deadline if re-armed. This is the old lock-based wheel's promise,
 * where the thread took a due timer off its list under the lock before running it.
 *
 * <p>The thread sleeps until the next occupied slot (found through a bitmap of occupied slots), or
 * until a timer is armed for an earlier tick (the arming thread lowers the tick the wheel sleeps
 * until and wakes it); with no timer placed it sleeps until one is armed. Actions run one at a
 * time on the thread and may arm any timer, their own included. An action that throws is handed to
 * the failure handler; the thread goes on.
 *
 * <p>A timer never runs before its deadline; it runs late by up to one tick plus scheduling delay.
 * Timers run in the order of their ticks, timers of one tick in the order they were armed (a timer
 * re-armed while still waiting to be placed keeps its place among them), except after the thread
 * was kept from running for over a whole turn, when the timers that fell due meanwhile run in slot
 * order.
 */
final class TimerWheel {
    private static final int UNLINKED = -1;
    /** The longest delay honoured as such: keeps tick arithmetic far from overflow (about 73 years). */
    private static final long MAX_DELAY_NANOS = 1L << 61;
    /** {@link #sleepingUntilTick} while the thread is awake: arming need not wake it. */
    private static final long AWAKE = Long.MIN_VALUE;
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** {@link Node#wantedTick} of a timer not pending: never armed, cancelled, or claimed to run. */
    private static final long NONE = -1;

    private static final VarHandle WANTED_TICK;
    private static final VarHandle QUEUED;
    private static final VarHandle ARMED_HEAD;
    private static final VarHandle SLEEPING_UNTIL_TICK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WANTED_TICK = lookup.findVarHandle(Node.class, "wantedTick", long.class);
            QUEUED = lookup.findVarHandle(Node.class, "queued", boolean.class);
            ARMED_HEAD = lookup.findVarHandle(TimerWheel.class, "armedHead", Node.class);
            SLEEPING_UNTIL_TICK = lookup.findVarHandle(TimerWheel.class, "sleepingUntilTick", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long tickNanos;
    private final int slotMask;
    /** Index into {@link #heads}/{@link #tails} of the list of timers due and waiting to run. */
    private final int dueList;
    /** First and last timer of each slot's list, then of the due list. Wheel thread only. */
    private final Node[] heads;
    private final Node[] tails;
    /** One bit per slot that holds a timer. Wheel thread only. */
    private final long[] occupied;
    private final long origin = System.nanoTime();
    private final Consumer<Throwable> onTaskFailure;
    private final Thread thread;
    /** Every slot up to this tick has been walked, so every timer in the wheel is due later. Wheel thread only. */
    private long walkedTick;
    /** Last armed first: the timers armed since the thread last took them in, linked through {@link Node#nextArmed}. */
    private volatile Node armedHead;
    private volatile long sleepingUntilTick = AWAKE;
    private volatile boolean closed;

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
        closed = true;
        LockSupport.unpark(thread);
    }

    private long tickNow() {
        return (System.nanoTime() - origin) / tickNanos;
    }

    private void arm(Node timer, long delayNanos) {
        if (closed) {
            return;
        }
        long delay = Math.min(Math.max(0, delayNanos), MAX_DELAY_NANOS);
        long sinceOrigin = System.nanoTime() - origin + delay;
        // Rounded up: the slot of tick d is walked once d whole ticks have passed, never before the deadline.
        timer.wantedTick = (sinceOrigin + tickNanos - 1) / tickNanos;
        queue(timer);
        // Read again after queueing: if the timer was already queued, whoever queued it may have
        // read an older tick, and the thread may have gone to sleep since (it reads the list after
        // publishing the tick it sleeps until, so one of the two sides sees the other).
        wakeIfSleepingPast(timer.wantedTick);
    }

    private void wakeIfSleepingPast(long tick) {
        if (tick == NONE) {
            return;
        }
        long sleepingUntil = sleepingUntilTick;
        while (tick < sleepingUntil) {
            if (SLEEPING_UNTIL_TICK.compareAndSet(this, sleepingUntil, tick)) {
                LockSupport.unpark(thread);
                return;
            }
            sleepingUntil = sleepingUntilTick;
        }
    }

    /** Puts the timer on the armed list for the wheel's thread to (re)place or drop, unless it is already there. */
    private void queue(Node timer) {
        if (QUEUED.compareAndSet(timer, false, true)) {
            Node head;
            do {
                head = armedHead;
                timer.nextArmed = head;
            } while (!ARMED_HEAD.compareAndSet(this, head, timer));
        }
    }

    private boolean cancel(Node timer) {
        if ((long) WANTED_TICK.getAndSet(timer, NONE) == NONE) {
            return false;
        }
        // Queued so that the thread unlinks it at its next wake-up: left in its slot, it would keep the
        // slot occupied and wake the thread at that tick for nothing, and hold the action until then.
        queue(timer);
        return true;
    }

    private int slotOf(long tick) {
        return (int) (tick & slotMask);
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
        while (!closed) {
            sleepingUntilTick = AWAKE;
            placeArmed();
            if (heads[dueList] == null) {
                walkTo(tickNow());
            }
            Node due = heads[dueList];
            if (due != null) {
                unlink(due);
                runIfStillDue(due);
                continue;
            }
            long wakeTick = nextOccupiedTick();
            sleepingUntilTick = wakeTick;
            if (armedHead != null) {
                continue; // armed after the list was taken in: place it before deciding how long to sleep
            }
            if (wakeTick == NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                long sleepNanos = origin + wakeTick * tickNanos - System.nanoTime();
                if (sleepNanos > 0) {
                    LockSupport.parkNanos(this, sleepNanos);
                }
            }
        }
    }

    /** Places every timer armed since the last call, in the order they were first queued. */
    private void placeArmed() {
        if (armedHead == null) {
            return;
        }
        Node lastArmedFirst = (Node) ARMED_HEAD.getAndSet(this, null);
        Node firstArmedFirst = null;
        while (lastArmedFirst != null) {
            Node next = lastArmedFirst.nextArmed;
            lastArmedFirst.nextArmed = firstArmedFirst;
            firstArmedFirst = lastArmedFirst;
            lastArmedFirst = next;
        }
        while (firstArmedFirst != null) {
            Node timer = firstArmedFirst;
            firstArmedFirst = timer.nextArmed;
            timer.nextArmed = null;
            // Cleared before the tick is read: an arm after this read queues the timer again.
            timer.queued = false;
            long wanted = timer.wantedTick;
            unlink(timer);
            if (wanted != NONE) {
                link(timer, wanted <= walkedTick ? dueList : slotOf(wanted));
            }
        }
    }

    /** Runs a timer taken off the due list if it still wants a tick already walked and the claim succeeds. */
    private void runIfStillDue(Node timer) {
        long wanted = timer.wantedTick;
        if (wanted == NONE) {
            return; // cancelled: dropped
        }
        if (wanted > walkedTick) {
            link(timer, slotOf(wanted)); // re-armed for later since it fell due
            return;
        }
        // A cancel or re-arm that lands between the read and this swap makes it fail: it wins.
        // (A re-armed timer is queued, so the next placeArmed puts it where it now belongs.)
        if (WANTED_TICK.compareAndSet(timer, wanted, NONE)) {
            runAction(timer.action);
        }
    }

    /** Moves every timer due by {@code tick} to the due list, walking each slot passed since the last walk. */
    private void walkTo(long tick) {
        long from = walkedTick + 1;
        if (tick - from > slotMask) {
            from = tick - slotMask; // one whole turn visits every slot
        }
        for (long t = from; t <= tick; t++) {
            int slot = slotOf(t);
            for (Node n = heads[slot]; n != null; ) {
                Node next = n.next;
                long wanted = n.wantedTick;
                if (wanted == NONE) {
                    unlink(n); // cancelled since it was placed
                } else if (wanted <= tick) {
                    unlink(n);
                    link(n, dueList);
                } else if (slotOf(wanted) != slot) {
                    unlink(n); // re-armed since it was placed, and still queued: place it now
                    link(n, slotOf(wanted));
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
        /** The tick it is armed for, or {@link #NONE}. Written by any thread, claimed by the wheel's. */
        volatile long wantedTick = NONE;
        /** On the armed list, waiting for the wheel's thread to place it. */
        volatile boolean queued;
        /** The next timer on the armed list (armed before this one). */
        Node nextArmed;
        // Wheel thread only: where the timer hangs.
        Node prev;
        Node next;
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
            return wantedTick != NONE;
        }
    }
}
