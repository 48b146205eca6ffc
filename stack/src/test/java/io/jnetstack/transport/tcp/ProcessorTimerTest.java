package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection's timer: the clock's expiry is handed to the processor, and an expiry that reaches
 * the processor after the timer was re-armed or cancelled does nothing.
 */
class ProcessorTimerTest {
    private final ManualClock clock = new ManualClock();
    private final ManualExecutor processor = new ManualExecutor();
    private final List<Long> firedAt = new ArrayList<>();
    private final ProcessorTimer timer = new ProcessorTimer(clock, processor, () -> firedAt.add(clock.nanoTime()));

    @Test
    void theActionRunsOnTheProcessorAfterTheDeadline() {
        timer.arm(100);
        clock.advanceNanos(100);
        assertEquals(List.of(), firedAt, "expired on the clock, not yet run by the processor");
        assertTrue(timer.isArmed());

        processor.runPending();

        assertEquals(List.of(100L), firedAt);
        assertFalse(timer.isArmed());
    }

    @Test
    void anExpiryQueuedBeforeAReArmDoesNothingAndTheNewDeadlineFires() {
        timer.arm(100);
        clock.advanceNanos(100);

        timer.arm(200);
        processor.runPending();
        assertEquals(List.of(), firedAt);
        assertTrue(timer.isArmed());

        clock.advanceNanos(200);
        processor.runPending();
        assertEquals(List.of(300L), firedAt);
    }

    @Test
    void anExpiryQueuedBeforeACancelDoesNothing() {
        timer.arm(100);
        clock.advanceNanos(100);

        timer.cancel();
        processor.runPending();

        assertEquals(List.of(), firedAt);
        assertFalse(timer.isArmed());
    }

    @Test
    void armIfIdleKeepsARunningDeadline() {
        timer.arm(100);
        timer.armIfIdle(50);
        clock.advanceNanos(50);
        processor.runPending();
        assertEquals(List.of(), firedAt);

        clock.advanceNanos(50);
        processor.runPending();
        assertEquals(List.of(100L), firedAt);
    }

    @Test
    void reArmingAllocatesNothing() {
        ProcessorTimer sameThread = new ProcessorTimer(clock, Runnable::run, () -> firedAt.add(clock.nanoTime()));
        double bytesPerRearm = ThreadAllocation.averageBytesPerStep(100_000, i -> {
            sameThread.arm(1_000_000 + i);
            if (i % 4 == 0) {
                sameThread.cancel();
            }
        });

        assertTrue(bytesPerRearm < 8, bytesPerRearm + " bytes per re-arm");
    }
}
