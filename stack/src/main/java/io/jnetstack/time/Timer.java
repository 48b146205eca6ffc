package io.jnetstack.time;

/** A scheduled one-shot task. */
public interface Timer {
    /** Stops the task from running if it has not started; returns true if it was still pending. */
    boolean cancel();

    /** True while the task is scheduled and has neither run nor been cancelled. */
    boolean isPending();
}
