package io.jnetstack.time;

/** A task on a clock's timer: scheduled once by {@link Clock#schedule}, or re-armed through {@link RearmableTimer}. */
public interface Timer {
    /** Stops the task from running if it has not started; returns true if it was still pending. */
    boolean cancel();

    /** True while the task is scheduled and has neither started nor been cancelled. */
    boolean isPending();
}
