package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        Map<String, Long> delays = new LinkedHashMap<>();
        delays.put("late", 60 * MILLIS);
        delays.put("early", 20 * MILLIS);
        delays.put("middle", 40 * MILLIS);
        delays.forEach((name, delay) -> clock.schedule(delay, () -> {
            ran.add(name);
            all.countDown();
        }));

        await(all, "three timers");

        assertEquals(List.of("early", "middle", "late"), ran);
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
