package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timers on the manual clock: they run inside {@code advance}, at their deadlines, in order. */
class ManualClockTest {
    private final ManualClock clock = new ManualClock();
    /** What ran, as "name@nanos" with the clock's time when it ran. */
    private final List<String> ran = new ArrayList<>();

    private Timer schedule(String name, long delayNanos) {
        return clock.schedule(delayNanos, () -> ran.add(name + "@" + clock.nanoTime()));
    }

    @Test
    void aTimerRunsWhenTheClockReachesItsDeadlineAndNotBefore() {
        Timer t = schedule("t", 100);

        clock.advanceNanos(99);
        assertEquals(List.of(), ran);
        assertTrue(t.isPending());

        clock.advanceNanos(1);
        assertEquals(List.of("t@100"), ran);
        assertFalse(t.isPending());
    }

    @Test
    void timersRunInDeadlineOrderWithTheClockAtEachDeadline() {
        schedule("late", 300);
        schedule("early", 100);
        schedule("middle", 200);

        clock.advanceNanos(1000);

        assertEquals(List.of("early@100", "middle@200", "late@300"), ran);
        assertEquals(1000, clock.nanoTime());
    }

    @Test
    void timersWithOneDeadlineRunInSchedulingOrder() {
        schedule("first", 50);
        schedule("second", 50);
        schedule("third", 50);

        clock.advanceNanos(50);

        assertEquals(List.of("first@50", "second@50", "third@50"), ran);
    }

    @Test
    void aTimerScheduledByARunningTimerRunsInTheSameAdvanceIfItFallsDueThere() {
        clock.schedule(100, () -> {
            schedule("soon", 50);
            schedule("later", 500);
        });

        clock.advanceNanos(200);

        assertEquals(List.of("soon@150"), ran);
        assertEquals(1, clock.pendingTimers());
    }

    @Test
    void aCancelledTimerNeverRuns() {
        Timer t = schedule("t", 100);

        assertTrue(t.cancel());
        clock.advanceNanos(1000);

        assertEquals(List.of(), ran);
        assertFalse(t.isPending());
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void cancellingAfterTheTimerRanReportsItWasNotPending() {
        Timer t = schedule("t", 100);
        clock.advanceNanos(100);

        assertFalse(t.cancel());
        assertEquals(List.of("t@100"), ran);
    }

    @Test
    void cancellingTwiceReportsPendingOnlyTheFirstTime() {
        Timer t = schedule("t", 100);

        assertTrue(t.cancel());
        assertFalse(t.cancel());
    }

    @Test
    void aTimerCancelledByAnEarlierTimerInTheSameAdvanceDoesNotRun() {
        Timer victim = schedule("victim", 200);
        clock.schedule(100, victim::cancel);

        clock.advanceNanos(300);

        assertEquals(List.of(), ran);
    }

    @Test
    void reArmingToALaterDeadlineReplacesTheEarlierOne() {
        Timer first = schedule("rto", 100);
        clock.advanceNanos(50);

        first.cancel();
        schedule("rto", 200);
        clock.advanceNanos(150);
        assertEquals(List.of(), ran, "the first deadline (100) has passed without the timer");

        clock.advanceNanos(50);
        assertEquals(List.of("rto@250"), ran);
    }

    @Test
    void reArmingToAnEarlierDeadlineRunsOnceThere() {
        Timer first = schedule("rto", 500);

        first.cancel();
        schedule("rto", 100);
        clock.advanceNanos(1000);

        assertEquals(List.of("rto@100"), ran);
    }

    @Test
    void aNegativeDelayIsDueAtOnce() {
        clock.advanceNanos(10);
        schedule("now", -5);

        clock.advanceNanos(0);

        assertEquals(List.of("now@10"), ran);
    }

    @Test
    void nanosUntilNextTimerIgnoresCancelledTimers() {
        assertEquals(-1, clock.nanosUntilNextTimer());
        Timer early = schedule("early", 100);
        schedule("late", 300);
        clock.advanceNanos(40);

        assertEquals(60, clock.nanosUntilNextTimer());
        early.cancel();
        assertEquals(260, clock.nanosUntilNextTimer());
        assertEquals(1, clock.pendingTimers());
    }

    @Test
    void wallClockTimeMovesWithTheMonotonicTime() {
        long start = clock.currentTimeMillis();

        clock.advance(Duration.ofSeconds(3));

        assertEquals(start + 3000, clock.currentTimeMillis());
        assertEquals(3_000_000_000L, clock.nanoTime());
    }

    @Test
    void timeCannotGoBack() {
        assertThrows(IllegalArgumentException.class, () -> clock.advanceNanos(-1));
    }
}
