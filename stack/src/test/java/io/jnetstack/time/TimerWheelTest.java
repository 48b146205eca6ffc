package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ThreadAllocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hashed wheel on real time, with a small wheel (64 slots of 1 ms, one turn = 64 ms) so that
 * deadlines several turns away come quickly. Tests wait on latches with a bounded timeout; a timer
 * that must not run is checked once a later timer has run, as the one thread runs them in order.
 */
class TimerWheelTest {
    private static final long MILLIS = 1_000_000;
    private static final int SLOTS = 64;
    private static final long TURN = SLOTS * MILLIS;
    private static final long WAIT_SECONDS = 10;
    private static final String THREAD = "timer-wheel-test";

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final TimerWheel wheel = new TimerWheel(THREAD, MILLIS, SLOTS, failures::add);

    @AfterEach
    void close() {
        wheel.close();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    /** Waits until {@code nanos} have passed since {@code from} (a deadline, not a race: nothing else is awaited). */
    private static void passTime(long from, long nanos) {
        while (System.nanoTime() - from < nanos) {
            Thread.onSpinWait();
        }
    }

    /** A timer that records its name when it runs and counts {@code latch} down. */
    private RearmableTimer recording(String name, List<String> ran, CountDownLatch latch) {
        return wheel.newTimer(() -> {
            ran.add(name);
            latch.countDown();
        });
    }

    @Test
    void timersRunInDeadlineOrderNoEarlierThanTheirDeadlines() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicLongArray ranAt = new AtomicLongArray(3);
        CountDownLatch all = new CountDownLatch(3);
        long armedAt = System.nanoTime();
        long[] delays = {250 * MILLIS, 50 * MILLIS, 150 * MILLIS};
        String[] names = {"late", "early", "middle"};
        for (int i = 0; i < 3; i++) {
            int index = i;
            wheel.newTimer(() -> {
                ranAt.set(index, System.nanoTime());
                ran.add(names[index]);
                all.countDown();
            }).arm(delays[i]);
        }

        await(all, "three timers");

        assertEquals(List.of("early", "middle", "late"), ran);
        for (int i = 0; i < 3; i++) {
            assertTrue(ranAt.get(i) - armedAt >= delays[i], names[i] + " ran " + (ranAt.get(i) - armedAt) + " ns after arming");
        }
    }

    @Test
    void aDelayOfSeveralTurnsWaitsItsTurnsWhileShorterTimersInItsSlotRun() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        long[] longRanAfter = new long[1];
        long armedAt = System.nanoTime();
        long longDelay = 3 * TURN + 10 * MILLIS;
        wheel.newTimer(() -> {
            longRanAfter[0] = System.nanoTime() - armedAt;
            ran.add("three turns");
            both.countDown();
        }).arm(longDelay);
        recording("same slot, this turn", ran, both).arm(10 * MILLIS);

        await(both, "both timers");

        assertEquals(List.of("same slot, this turn", "three turns"), ran);
        assertTrue(longRanAfter[0] >= longDelay, "ran after " + longRanAfter[0] + " ns");
    }

    @Test
    void aCancelledTimerNeverRunsAndReportsWhetherItWasPending() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch later = new CountDownLatch(1);
        RearmableTimer cancelled = recording("cancelled", ran, new CountDownLatch(1));
        cancelled.arm(20 * MILLIS);
        recording("later", ran, later).arm(80 * MILLIS);

        assertTrue(cancelled.isPending());
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.isPending());
        assertFalse(cancelled.cancel());
        await(later, "the later timer");

        assertEquals(List.of("later"), ran);
    }

    @Test
    void reArmingMovesTheDeadlineAndRunsOnce() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch rearmedRan = new CountDownLatch(1);
        RearmableTimer rto = recording("rto", ran, rearmedRan);
        AtomicBoolean rtoPendingWhenMarkerRan = new AtomicBoolean();
        CountDownLatch markerRan = new CountDownLatch(1);
        RearmableTimer marker = wheel.newTimer(() -> {
            rtoPendingWhenMarkerRan.set(rto.isPending());
            ran.add("marker");
            markerRan.countDown();
        });
        // Armed inside an action: the wheel's one thread is busy running it, so the first deadline
        // cannot fall due before the re-arm, however long a loaded machine takes between the calls.
        // Each arm reads the clock after the one before, so the marker falls due after the first
        // deadline and before the new one.
        wheel.newTimer(() -> {
            rto.arm(20 * MILLIS);
            marker.arm(40 * MILLIS);
            rto.arm(4 * TURN);
        }).arm(0);

        await(markerRan, "the marker between the two deadlines");
        await(rearmedRan, "the re-armed timer");

        assertTrue(rtoPendingWhenMarkerRan.get(), "the first deadline was replaced");
        assertEquals(List.of("marker", "rto"), ran);
        assertFalse(rto.isPending());
    }

    @Test
    void anActionThatReArmsItsOwnTimerRunsAgain() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch fiveRuns = new CountDownLatch(5);
        RearmableTimer[] self = new RearmableTimer[1];
        self[0] = wheel.newTimer(() -> {
            if (runs.incrementAndGet() < 5) {
                assertFalse(self[0].isPending(), "not pending while its action runs");
                self[0].arm(MILLIS);
            }
            fiveRuns.countDown();
        });
        self[0].arm(0);

        await(fiveRuns, "five runs");

        assertEquals(5, runs.get());
        assertFalse(self[0].isPending());
        assertEquals(List.of(), failures);
    }

    @Test
    void aTimerReArmedWhileItsActionRunsRunsAgainAfterIt() throws InterruptedException {
        CountDownLatch inAction = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twice = new CountDownLatch(2);
        RearmableTimer timer = wheel.newTimer(() -> {
            inAction.countDown();
            twice.countDown();
            try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        timer.arm(0);
        await(inAction, "the first run");

        timer.arm(0);
        assertTrue(timer.isPending());
        release.countDown();

        await(twice, "the second run");
    }

    @Test
    void aTimerAlreadyDueIsNotRunForItsOldDeadlineIfAnEarlierActionReArmsIt() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch holdThread = new CountDownLatch(1);
        CountDownLatch threadHeld = new CountDownLatch(1);
        wheel.newTimer(() -> {
            threadHeld.countDown();
            try {
                holdThread.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).arm(0);
        await(threadHeld, "the timer thread to be held");
        RearmableTimer victim = recording("victim", ran, new CountDownLatch(1));
        CountDownLatch after = new CountDownLatch(1);
        long armedAt = System.nanoTime();
        // Armed in this order, both due by the time the thread walks again: the first runs first.
        wheel.newTimer(() -> {
            ran.add("pusher");
            victim.arm(TimeUnit.HOURS.toNanos(1));
        }).arm(MILLIS);
        victim.arm(MILLIS);
        passTime(armedAt, 3 * MILLIS);
        holdThread.countDown();
        recording("after", ran, after).arm(5 * MILLIS);

        await(after, "a timer after both");

        assertEquals(List.of("pusher", "after"), ran);
        assertTrue(victim.isPending(), "pending for its new deadline");
    }

    @Test
    void manyTimersEachRunOnceNoEarlierThanTheirDeadlineAndCancelledOnesNever() throws InterruptedException {
        int count = 20_000;
        Random random = new Random(14);
        AtomicInteger[] runs = new AtomicInteger[count];
        long[] deadlines = new long[count];
        long[] ranAt = new long[count];
        List<RearmableTimer> timers = new ArrayList<>();
        CountDownLatch kept = new CountDownLatch(count / 2);
        for (int i = 0; i < count; i++) {
            int index = i;
            runs[i] = new AtomicInteger();
            timers.add(wheel.newTimer(() -> {
                ranAt[index] = System.nanoTime();
                if (runs[index].incrementAndGet() == 1 && index % 2 == 0) {
                    kept.countDown();
                }
            }));
        }
        for (int i = 0; i < count; i++) {
            // The cancelled half lies two turns out or more, so each cancel comes well before its deadline.
            long delay = (i % 2 == 0 ? 0 : 2 * TURN) + random.nextInt((int) (2 * TURN));
            deadlines[i] = System.nanoTime() + delay;
            timers.get(i).arm(delay);
            if (i % 2 == 1) {
                assertTrue(timers.get(i).cancel());
            }
        }
        CountDownLatch last = new CountDownLatch(1);
        wheel.newTimer(last::countDown).arm(4 * TURN + MILLIS);

        await(kept, "the timers not cancelled");
        await(last, "a timer after all of them");

        for (int i = 0; i < count; i++) {
            assertEquals(i % 2 == 0 ? 1 : 0, runs[i].get(), "runs of timer " + i);
            if (i % 2 == 0) {
                assertTrue(ranAt[i] >= deadlines[i], "timer " + i + " ran " + (deadlines[i] - ranAt[i]) + " ns early");
            }
        }
    }

    /**
     * Several threads at once arm, re-arm and cancel timers of their own on the one wheel, in rounds.
     * Each round a thread first arms its whole batch, then goes over it again to cancel some, so
     * that while it cancels, the wheel's thread is placing, claiming and running the near deadlines
     * (0-2 ms). What each timer must do is known exactly: a far deadline replaced by a near one runs
     * once; a near one left alone runs once; a cancelled far deadline never runs (cancel says it was
     * pending); a cancelled near deadline runs once if and only if cancel says it was not pending any
     * more. Each round waits for the runs it expects, so a run is checked against its own deadline.
     */
    @Test
    void timersArmedAndCancelledFromManyThreadsAtOnceRunExactlyAsOftenAsTheyShould() throws InterruptedException {
        int threads = 4;
        int timersPerThread = 250;
        int rounds = 20;
        int count = threads * timersPerThread;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        AtomicLongArray earliest = new AtomicLongArray(count);
        int[] expectedRuns = new int[count];
        Semaphore[] ranForThread = new Semaphore[threads];
        RearmableTimer[] timers = new RearmableTimer[count];
        for (int t = 0; t < threads; t++) {
            ranForThread[t] = new Semaphore(0);
        }
        for (int i = 0; i < count; i++) {
            int index = i;
            Semaphore ran = ranForThread[i / timersPerThread];
            timers[i] = wheel.newTimer(() -> {
                long early = earliest.get(index) - System.nanoTime();
                if (early > 0) {
                    failures.add(new AssertionError("timer " + index + " ran " + early + " ns early"));
                }
                runs.incrementAndGet(index);
                ran.release();
            });
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> armers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * timersPerThread;
            Semaphore ran = ranForThread[t];
            Random random = new Random(14 + t);
            int[] moves = new int[timersPerThread];
            Thread armer = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        for (int k = 0; k < timersPerThread; k++) {
                            moves[k] = random.nextInt(Move.values().length);
                            Move.values()[moves[k]].arm(timers[first + k], random.nextInt((int) (2 * MILLIS) + 1),
                                    earliest, first + k);
                        }
                        int runsThisRound = 0;
                        for (int k = 0; k < timersPerThread; k++) {
                            int expected = Move.values()[moves[k]].settle(timers[first + k]);
                            expectedRuns[first + k] += expected;
                            runsThisRound += expected;
                        }
                        if (!ran.tryAcquire(runsThisRound, WAIT_SECONDS, TimeUnit.SECONDS)) {
                            failures.add(new AssertionError("round " + round + " of the timers from " + first
                                    + ": fewer runs than expected"));
                            return;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            armers.add(armer);
            armer.start();
        }
        start.countDown();
        for (Thread armer : armers) {
            armer.join(TimeUnit.SECONDS.toMillis(rounds * WAIT_SECONDS));
            assertFalse(armer.isAlive(), "an arming thread did not finish");
        }
        CountDownLatch last = new CountDownLatch(1);
        wheel.newTimer(last::countDown).arm(20 * MILLIS);
        await(last, "a timer after all of them");

        assertEquals(List.of(), failures);
        for (int i = 0; i < count; i++) {
            assertEquals(expectedRuns[i], runs.get(i), "runs of timer " + i);
            assertFalse(timers[i].isPending(), "timer " + i + " still pending");
        }
    }

    /** What the concurrent test does with a timer (not pending) in one round: arm it, then settle it. */
    private enum Move {
        FAR_THEN_NEAR, FAR_CANCELLED, NEAR_CANCELLED, NEAR;

        private static final long FAR = TimeUnit.HOURS.toNanos(1);

        void arm(RearmableTimer timer, long nearDelay, AtomicLongArray earliest, int index) {
            if (this == FAR_THEN_NEAR || this == FAR_CANCELLED) {
                timer.arm(FAR);
            }
            if (this != FAR_CANCELLED) {
                earliest.set(index, System.nanoTime() + nearDelay);
                timer.arm(nearDelay);
            }
        }

        /** Cancels the timer if this move says so; returns how often it must run for this round. */
        int settle(RearmableTimer timer) {
            switch (this) {
                case FAR_CANCELLED:
                    assertTrue(timer.cancel(), "a far deadline was still pending");
                    return 0;
                case NEAR_CANCELLED:
                    // Not pending any more: the wheel's thread claimed it first, and it runs (or ran) once.
                    return timer.cancel() ? 0 : 1;
                default:
                    return 1;
            }
        }
    }

    @Test
    void aThrowingActionIsReportedAndTheThreadGoesOn() throws InterruptedException {
        IllegalStateException bug = new IllegalStateException("injected");
        wheel.newTimer(() -> {
            throw bug;
        }).arm(0);
        CountDownLatch next = new CountDownLatch(1);
        wheel.newTimer(next::countDown).arm(MILLIS);

        await(next, "the timer after the throwing one");

        assertEquals(1, failures.size());
        assertSame(bug, failures.get(0));
    }

    @Test
    void anInterruptLeftByAnActionDoesNotReachTheNext() throws InterruptedException {
        wheel.newTimer(() -> Thread.currentThread().interrupt()).arm(0);
        CountDownLatch next = new CountDownLatch(1);
        boolean[] interrupted = new boolean[1];
        wheel.newTimer(() -> {
            interrupted[0] = Thread.currentThread().isInterrupted();
            next.countDown();
        }).arm(5 * MILLIS);

        await(next, "the timer after the interrupting one");

        assertFalse(interrupted[0]);
    }

    @Test
    void closingStopsTheThreadAndLaterArmsDoNothing() throws InterruptedException {
        Thread timerThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(THREAD) && t.isAlive()).findFirst().orElseThrow();
        RearmableTimer pending = wheel.newTimer(() -> failures.add(new AssertionError("ran after close")));
        pending.arm(TURN);

        wheel.close();
        timerThread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        RearmableTimer late = wheel.newTimer(() -> failures.add(new AssertionError("armed after close, ran")));
        late.arm(0);

        assertFalse(timerThread.isAlive());
        assertFalse(late.isPending());
        assertEquals(List.of(), failures);
    }

    @Test
    void reArmingAllocatesNothing() {
        RearmableTimer timer = wheel.newTimer(() -> failures.add(new AssertionError("a far deadline ran")));
        long farAway = TimeUnit.HOURS.toNanos(1);

        double bytesPerRearm = ThreadAllocation.averageBytesPerStep(100_000, i -> {
            timer.arm(farAway + i * MILLIS);
            if (i % 3 == 0) {
                timer.cancel();
            }
        });

        assertTrue(bytesPerRearm < 8, bytesPerRearm + " bytes per re-arm");
        timer.cancel();
    }
}
