package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ThreadAllocation;
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

    private RearmableTimer rearmable(String name) {
        return clock.newTimer(() -> ran.add(name + "@" + clock.nanoTime()));
    }

    @Test
    void aNewTimerIsDisarmedUntilArmed() {
        RearmableTimer t = rearmable("t");
        clock.advanceNanos(1000);

        assertFalse(t.isPending());
        assertFalse(t.cancel());
        assertEquals(List.of(), ran);
    }

    @Test
    void aRearmableTimerRunsOncePerArming() {
        RearmableTimer t = rearmable("t");

        t.arm(100);
        clock.advanceNanos(100);
        t.arm(50);
        clock.advanceNanos(1000);

        assertEquals(List.of("t@100", "t@150"), ran);
        assertFalse(t.isPending());
    }

    @Test
    void reArmingReplacesTheDeadlineEarlierOrLater() {
        RearmableTimer later = rearmable("later");
        RearmableTimer earlier = rearmable("earlier");
        later.arm(100);
        earlier.arm(500);

        later.arm(300);
        earlier.arm(200);
        clock.advanceNanos(1000);

        assertEquals(List.of("earlier@200", "later@300"), ran);
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void timersWithOneDeadlineRunInTheOrderOfTheirLastArming() {
        RearmableTimer a = rearmable("a");
        RearmableTimer b = rearmable("b");
        RearmableTimer c = rearmable("c");
        a.arm(50);
        b.arm(50);
        c.arm(50);

        a.arm(50); // re-armed last: now after b and c
        clock.advanceNanos(50);

        assertEquals(List.of("b@50", "c@50", "a@50"), ran);
    }

    @Test
    void anActionThatReArmsItsOwnTimerRunsAgainInTheSameAdvance() {
        RearmableTimer[] self = new RearmableTimer[1];
        self[0] = clock.newTimer(() -> {
            ran.add("tick@" + clock.nanoTime());
            assertFalse(self[0].isPending(), "not pending while its action runs");
            if (ran.size() < 3) {
                self[0].arm(100);
            }
        });
        self[0].arm(100);

        clock.advanceNanos(1000);

        assertEquals(List.of("tick@100", "tick@200", "tick@300"), ran);
    }

    @Test
    void aTimerDueInTheSameAdvanceIsNotRunOnceAnEarlierActionReArmsIt() {
        RearmableTimer victim = rearmable("victim");
        clock.newTimer(() -> victim.arm(1000)).arm(100);
        victim.arm(200);

        clock.advanceNanos(300);

        assertEquals(List.of(), ran);
        assertEquals(1100 - 300, clock.nanosUntilNextTimer());
    }

    @Test
    void aHugeDelayDoesNotOverflowIntoThePast() {
        clock.advanceNanos(10);
        RearmableTimer never = rearmable("never");

        never.arm(Long.MAX_VALUE);
        clock.advanceNanos(1_000_000);

        assertEquals(List.of(), ran);
        assertTrue(never.isPending());
    }

    @Test
    void reArmingAllocatesNothing() {
        List<RearmableTimer> timers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            timers.add(rearmable("t" + i));
        }
        double bytesPerRearm = ThreadAllocation.averageBytesPerStep(100_000, i -> {
            RearmableTimer t = timers.get(i & 63);
            t.arm(1_000_000 + (i * 7919L) % 1000);
            if (i % 5 == 0) {
                t.cancel();
            }
        });

        assertTrue(bytesPerRearm < 8, bytesPerRearm + " bytes per re-arm");
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
