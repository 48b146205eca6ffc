package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Timers on real time: they run on the clock's one daemon thread, in deadline order. The tests wait
 * on latches with a bounded timeout; a timer that must not run is checked once a later one has run,
 * since the single timer thread runs them in deadline order.
 */
class SystemClockTest {
    private static final long MILLIS = 1_000_000;
    /**
     * The delay of a timer the test cancels on its next line: long enough that the cancel comes
     * first even when a loaded machine deschedules the test thread, so a run proves the cancel.
     */
    private static final long CANCELLED_DELAY = 500 * MILLIS;
    private static final long WAIT_SECONDS = 10;
    /** SystemClock's tick: deadlines are rounded up to it. */
    private static final long TICK = MILLIS;

    private final SystemClock clock = new SystemClock();

    @AfterEach
    void shutdown() {
        clock.shutdown();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    @Test
    void aTimerRunsOnTheDaemonTimerThreadNoEarlierThanItsDelay() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        long[] ranAt = new long[1];
        Thread[] ranOn = new Thread[1];
        long scheduledAt = clock.nanoTime();

        clock.schedule(20 * MILLIS, () -> {
            ranAt[0] = clock.nanoTime();
            ranOn[0] = Thread.currentThread();
            ran.countDown();
        });
        await(ran, "the timer");

        assertTrue(ranAt[0] - scheduledAt >= 20 * MILLIS, "ran after " + (ranAt[0] - scheduledAt) + " ns");
        assertEquals("jnetstack-timer", ranOn[0].getName());
        assertTrue(ranOn[0].isDaemon());
    }

    @Test
    void timersRunInDeadlineOrder() throws InterruptedException {
        // Armed latest first. A deadline is the delay past the moment schedule reads the clock, which lies
        // between the readings taken around the call; a test thread descheduled between two calls moves
        // the later deadlines, so the order is checked against those bounds rather than the bare delays.
        String[] names = {"late", "early", "middle"};
        long[] delays = {60 * MILLIS, 20 * MILLIS, 40 * MILLIS};
        long[] earliestDeadline = new long[names.length];
        long[] latestDeadline = new long[names.length];
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(names.length);
        for (int i = 0; i < names.length; i++) {
            int index = i;
            earliestDeadline[i] = clock.nanoTime() + delays[i];
            clock.schedule(delays[i], () -> {
                ran.add(index);
                all.countDown();
            });
            latestDeadline[i] = clock.nanoTime() + delays[i];
        }

        await(all, "three timers");

        List<String> order = ran.stream().map(i -> names[i]).toList();
        for (int a = 0; a < ran.size(); a++) {
            for (int b = a + 1; b < ran.size(); b++) {
                int first = ran.get(a);
                int second = ran.get(b);
                // Timers falling due in one tick run in the order they were armed, so only a deadline
                // surely a whole tick earlier must have run first.
                assertFalse(latestDeadline[second] + TICK <= earliestDeadline[first],
                        names[second] + " was due at least a tick before " + names[first] + " but ran after it: " + order);
            }
        }
    }

    @Test
    void aCancelledTimerNeverRuns() throws InterruptedException {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch laterRan = new CountDownLatch(1);
        Timer cancelled = clock.schedule(CANCELLED_DELAY, () -> cancelledRan.set(true));
        clock.schedule(CANCELLED_DELAY + 100 * MILLIS, laterRan::countDown);

        assertTrue(cancelled.cancel());
        assertFalse(cancelled.isPending());
        await(laterRan, "the later timer");

        assertFalse(cancelledRan.get());
    }

    @Test
    void reArmingReplacesTheEarlierDeadline() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch rearmedRan = new CountDownLatch(1);
        Timer first = clock.schedule(CANCELLED_DELAY, () -> ran.add("first deadline"));

        first.cancel();
        clock.schedule(CANCELLED_DELAY + 100 * MILLIS, () -> {
            ran.add("re-armed deadline");
            rearmedRan.countDown();
        });
        await(rearmedRan, "the re-armed timer");

        assertEquals(List.of("re-armed deadline"), ran);
    }

    @Test
    void cancellingAfterTheTimerRanReportsItWasNotPending() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Timer t = clock.schedule(0, ran::countDown);
        await(ran, "the timer");

        // isDone turns true just after the task returns, so wait for it through the timer thread:
        // a second timer runs only after the first has completed.
        CountDownLatch next = new CountDownLatch(1);
        clock.schedule(0, next::countDown);
        await(next, "the next timer");

        assertFalse(t.isPending());
        assertFalse(t.cancel());
    }
}
