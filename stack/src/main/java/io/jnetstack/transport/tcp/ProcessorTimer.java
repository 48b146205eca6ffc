package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;
import io.jnetstack.time.RearmableTimer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A re-armable one-shot timer whose action runs on a connection's processor. It keeps one clock
 * timer and one hand-off task for its lifetime, so arming allocates nothing. An expiry that reaches
 * the processor after the timer was cancelled or re-armed (its hand-off already queued) does
 * nothing, so the action never sees a stale expiry.
 */
final class ProcessorTimer {
    private final Executor processor;
    private final Runnable action;
    private final RearmableTimer clockTimer;
    private final Runnable fireOnProcessor = this::fire;
    /** Armed and not yet fired or cancelled, as the processor sees it. Processor thread only. */
    private boolean armed;

    ProcessorTimer(Clock clock, Executor processor, Runnable action) {
        this.processor = processor;
        this.action = action;
        this.clockTimer = clock.newTimer(this::expire);
    }

    /** (Re)starts the timer to fire {@code delayNanos} from now. Processor thread only. */
    void arm(long delayNanos) {
        armed = true;
        clockTimer.arm(delayNanos);
    }

    private void expire() {
        try {
            processor.execute(fireOnProcessor);
        } catch (RejectedExecutionException stackClosed) {
            // The stack stopped its processors after aborting this connection: nothing is left to time.
        }
    }

    /** Starts the timer unless it is already running. */
    void armIfIdle(long delayNanos) {
        if (!armed) {
            arm(delayNanos);
        }
    }

    void cancel() {
        armed = false;
        clockTimer.cancel();
    }

    boolean isArmed() {
        return armed;
    }

    private void fire() {
        // Pending again: re-armed after this expiry was handed over; the new deadline decides.
        if (!armed || clockTimer.isPending()) {
            return;
        }
        armed = false;
        action.run();
    }
}
