package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;
import io.jnetstack.time.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A re-armable one-shot timer whose action runs on a connection's processor: the clock's thread
 * enters the connection itself when it is free, or leaves the expiry on its backlog. A timer that
 * fires after it was cancelled or re-armed (its expiry already queued) does nothing, so the action
 * never sees a stale expiry.
 */
final class ProcessorTimer {
    private final Clock clock;
    private final Executor processor;
    private final Runnable action;
    private Timer pending;
    private long generation;

    ProcessorTimer(Clock clock, Executor processor, Runnable action) {
        this.clock = clock;
        this.processor = processor;
        this.action = action;
    }

    /** (Re)starts the timer to fire {@code delayNanos} from now. Processor thread only. */
    void arm(long delayNanos) {
        cancel();
        long armedGeneration = generation;
        pending = clock.schedule(delayNanos, () -> expire(armedGeneration));
    }

    private void expire(long armedGeneration) {
        try {
            processor.execute(() -> fire(armedGeneration));
        } catch (RejectedExecutionException stackClosed) {
            // The stack stopped its processors after aborting this connection: nothing is left to time.
        }
    }

    /** Starts the timer unless it is already running. */
    void armIfIdle(long delayNanos) {
        if (!isArmed()) {
            arm(delayNanos);
        }
    }

    void cancel() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    boolean isArmed() {
        return pending != null;
    }

    private void fire(long armedGeneration) {
        if (armedGeneration != generation) {
            return;
        }
        pending = null;
        action.run();
    }
}
