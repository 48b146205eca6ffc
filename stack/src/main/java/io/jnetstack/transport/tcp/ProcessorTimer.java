package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;
import io.jnetstack.time.RearmableTimer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A re-armable one-shot timer whose action runs on a connection's processor: at expiry the clock's
 * thread enters the connection itself when it is free, or leaves the expiry on its backlog. Its
 * clock timer is made at the first arming (a connection that never uses a timer pays nothing for
 * it) and kept, so re-arming allocates nothing; the timer itself is the task given at expiry.
 * An expiry that reaches the processor after the timer was cancelled or re-armed (its hand-off
 * already queued) does nothing, so the action never sees a stale expiry.
 */
final class ProcessorTimer implements Runnable {
    private final Clock clock;
    private final Executor processor;
    private final Runnable action;
    private RearmableTimer clockTimer;
    /** Armed and not yet fired or cancelled, as the processor sees it. Processor thread only. */
    private boolean armed;

    ProcessorTimer(Clock clock, Executor processor, Runnable action) {
        this.clock = clock;
        this.processor = processor;
        this.action = action;
    }

    /** (Re)starts the timer to fire {@code delayNanos} from now. Processor thread only. */
    void arm(long delayNanos) {
        armed = true;
        if (clockTimer == null) {
            clockTimer = clock.newTimer(this::expire);
        }
        clockTimer.arm(delayNanos);
    }

    /** On the clock's thread: hands the expiry to the processor. */
    private void expire() {
        try {
            processor.execute(this);
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
        if (clockTimer != null) {
            clockTimer.cancel();
        }
    }

    /**
     * Cancels {@code timer} unless it is null: connections make their timers at the first arming
     * (see {@link #arm}), so that an idle connection holds none.
     */
    static void cancelIfMade(ProcessorTimer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    boolean isArmed() {
        return armed;
    }

    /** On the processor: the expiry handed over by {@link #expire}; runs the action unless it is stale. */
    @Override
    public void run() {
        // Pending again: re-armed after this expiry was handed over; the new deadline decides.
        if (!armed || clockTimer.isPending()) {
            return;
        }
        armed = false;
        action.run();
    }
}
