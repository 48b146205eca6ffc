package io.jnetstack.link;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How an in-memory link hands frames to the receiving dispatcher.
 *
 * <p>{@link #ownThread()} gives each direction of a link one daemon thread fed through a bounded
 * queue, like the kernel's per-CPU backlog: the writer never runs the receiver's code, and a full
 * queue drops (and counts) frames instead of blocking the writer. {@link #inline()} delivers on the
 * writer's thread, as Linux's loopback hands a packet straight to the receive path: a frame
 * written while that thread is already delivering one (a reply produced by the dispatch) waits in
 * the thread's queue until the delivery under way returns, so a dispatch never recurses.
 * {@link #on(Executor)} delivers through a caller's executor, e.g. a manually drained one for
 * deterministic tests; frames stay in order only if that executor runs tasks in order.
 */
public final class DeliveryMode {
    /**
     * Queue length of {@link #ownThread()}, and frames one thread may hold back while delivering
     * {@link #inline()}; the same as Linux's default {@code netdev_max_backlog}.
     */
    public static final int DEFAULT_BACKLOG = 1000;

    private static final DeliveryMode INLINE = new DeliveryMode(null, DEFAULT_BACKLOG, true);

    private final Executor executor;
    private final int backlog;
    private final boolean inline;

    private DeliveryMode(Executor executor, int backlog, boolean inline) {
        this.executor = executor;
        this.backlog = backlog;
        this.inline = inline;
    }

    /** Each frame is delivered on the thread that writes it, never recursively (see above). */
    public static DeliveryMode inline() {
        return INLINE;
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
        return new DeliveryMode(null, backlog, false);
    }

    /** Every frame is delivered by a task run on {@code executor}, which the link does not shut down. */
    public static DeliveryMode on(Executor executor) {
        return new DeliveryMode(Objects.requireNonNull(executor, "executor"), 0, false);
    }

    boolean isInline() {
        return inline;
    }

    /** The executor to pass to {@code on}, or null for {@link #ownThread} and {@link #inline}. */
    Executor executor() {
        return executor;
    }

    int backlog() {
        return backlog;
    }

    @Override
    public String toString() {
        if (inline) {
            return "DeliveryMode[inline]";
        }
        return executor == null ? "DeliveryMode[ownThread, backlog=" + backlog + "]" : "DeliveryMode[on " + executor + "]";
    }
}
