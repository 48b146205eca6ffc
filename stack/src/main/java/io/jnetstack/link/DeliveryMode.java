package io.jnetstack.link;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How an in-memory link hands frames to the receiving dispatcher.
 *
 * <p>By default ({@link #ownThread()}) each direction of a link has one daemon thread fed through
 * a bounded queue, like the kernel's per-CPU backlog: the writer never runs the receiver's code,
 * so a reply sent from inside a dispatch does not recurse, and a full queue drops (and counts)
 * frames instead of blocking the writer. {@link #on(Executor)} delivers through a caller's
 * executor instead, e.g. a same-thread or manually drained one for deterministic tests; frames
 * stay in order only if that executor runs tasks in order.
 */
public final class DeliveryMode {
    /** Queue length of {@link #ownThread()}; the same as Linux's default {@code netdev_max_backlog}. */
    public static final int DEFAULT_BACKLOG = 1000;

    private final Executor executor;
    private final int backlog;

    private DeliveryMode(Executor executor, int backlog) {
        this.executor = executor;
        this.backlog = backlog;
    }

    /** A delivery thread per direction with a queue of {@link #DEFAULT_BACKLOG} frames. */
    public static DeliveryMode ownThread() {
        return ownThread(DEFAULT_BACKLOG);
    }

    /** A delivery thread per direction with a queue of {@code backlog} frames (at least 1). */
    public static DeliveryMode ownThread(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        return new DeliveryMode(null, backlog);
    }

    /** Every frame is delivered by a task run on {@code executor}, which the link does not shut down. */
    public static DeliveryMode on(Executor executor) {
        return new DeliveryMode(Objects.requireNonNull(executor, "executor"), 0);
    }

    /** The executor to pass to {@code on}, or null for {@link #ownThread}. */
    Executor executor() {
        return executor;
    }

    int backlog() {
        return backlog;
    }

    @Override
    public String toString() {
        return executor == null ? "DeliveryMode[ownThread, backlog=" + backlog + "]" : "DeliveryMode[on " + executor + "]";
    }
}
