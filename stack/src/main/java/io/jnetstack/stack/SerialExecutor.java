package io.jnetstack.stack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One connection's executor and backlog, as Linux's socket lock with its backlog: at most one
 * thread is inside the connection at a time, and nobody ever waits to get in.
 *
 * <p>{@link #execute} on a free connection enters it: the task runs at once on the calling thread
 * (or, built {@linkplain #SerialExecutor(Executor, Consumer) on a target}, the target is asked to
 * run the connection). On a busy connection, the calling thread included, the task goes onto the
 * backlog and {@code execute} returns; the thread inside runs the backlog, in order, before it
 * leaves. So a thread inside one connection may enter a second one that is free but never waits
 * for one that is busy, and a connection is never entered recursively: a task the connection gives
 * itself (a reply produced while it handles a segment) runs after the current one.
 *
 * <p>Leaving is a compare-and-set from "inside, nothing queued" to "free", so a task queued while
 * the thread inside was finishing makes it go round again rather than stay stranded. That CAS and
 * the one that enters order the connection's state between the threads that take turns in it.
 *
 * <p>A task that throws anything is reported to the failure handler and the next one runs: a
 * failure must not leave the connection marked busy forever.
 */
public final class SerialExecutor implements Executor {
    /** Ends every backlog chain: the connection is busy. {@code backlog == null} means free. */
    private static final Task BUSY = new Node(() -> { });
    private static final VarHandle BACKLOG;

    static {
        try {
            BACKLOG = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "backlog", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null when free, else the tasks queued while busy, newest first, ending in {@link #BUSY}. */
    @SuppressWarnings("unused") // through BACKLOG
    private volatile Task backlog;
    /** Who runs the connection when it is entered; null: the thread that calls {@link #execute}. */
    private final Executor target;
    private final Consumer<Throwable> onFailure;
    /** The target's task: run the backlog (queued once per entry, not per task); null without a target. */
    private final Runnable drainTask;

    /** A connection entered by whichever thread has work for it: run to completion. */
    public SerialExecutor(Consumer<Throwable> onFailure) {
        this(null, onFailure);
    }

    /**
     * A connection run by {@code target} (a processor thread, a test's queue): tasks still run one
     * at a time and in order, but always on the target. Null runs them on the calling thread.
     */
    public SerialExecutor(Executor target, Consumer<Throwable> onFailure) {
        this.target = target;
        this.drainTask = target == null ? null : this::drain; // none kept per connection when unused
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Runs {@code task} now if the connection is free (on the calling thread, or hands it to the
     * target), else queues it for the thread inside.
     *
     * @throws RejectedExecutionException if the target rejects the connection (its thread stopped);
     *                                    tasks queued with it are dropped then
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (tryEnter()) {
            runSafely(task);
            drain();
            return;
        }
        enqueue(new Node(task));
    }

    /**
     * As {@link #execute(Runnable)}, but a busy connection queues {@code task} itself, with no node
     * made for it. The task must not be queued anywhere else until it has run.
     */
    public void execute(Task task) {
        Objects.requireNonNull(task, "task");
        if (tryEnter()) {
            runSafely(task);
            drain();
            return;
        }
        enqueue(task);
    }

    /**
     * Enters the connection if it is free and runs {@code handler.accept(item)} at once on the
     * calling thread, then the backlog; false, with nothing run or queued, when it is busy or run
     * by a target. So a connection hands each inbound segment to one handler it made once, and
     * nothing is allocated while it is free; an item only valid during the call (a view over a
     * buffer the caller reuses) is copied into a {@link Task} to queue when this returns false.
     */
    public <T> boolean tryExecute(Consumer<? super T> handler, T item) {
        Objects.requireNonNull(handler, "handler");
        if (!tryEnter()) {
            return false;
        }
        acceptSafely(handler, item);
        drain();
        return true;
    }

    /** Enters a free connection to run on the calling thread; false with a target or when busy. */
    private boolean tryEnter() {
        return target == null && BACKLOG.compareAndSet(this, null, BUSY);
    }

    private void enqueue(Task queued) {
        while (true) {
            Task current = backlog;
            queued.next = current == null ? BUSY : current;
            if (BACKLOG.compareAndSet(this, current, queued)) {
                if (current == null) {
                    handToTarget(); // it was free: we made it busy, so someone must run it
                }
                return;
            }
        }
    }

    private void handToTarget() {
        if (target == null) {
            drain();
            return;
        }
        try {
            target.execute(drainTask);
        } catch (RuntimeException rejected) {
            backlog = null; // nobody will run what is queued: the target's thread has stopped
            throw rejected;
        }
    }

    /** True while a thread is inside the connection or its turn is queued on the target. */
    public boolean isBusy() {
        return backlog != null;
    }

    /** Runs queued tasks, oldest first, until the connection can be left with nothing queued. */
    private void drain() {
        while (true) {
            Task queued = backlog;
            if (queued == BUSY) {
                if (BACKLOG.compareAndSet(this, BUSY, null)) {
                    return;
                }
                continue; // a task came in as we were leaving
            }
            if (!BACKLOG.compareAndSet(this, queued, BUSY)) {
                continue;
            }
            for (Task n = reverse(queued); n != null; ) {
                Task next = n.next; // read first: a task that has run may be queued again at once
                n.next = null;
                runSafely(n);
                n = next;
            }
        }
    }

    /** The chain {@code newestFirst} (ending in BUSY) as a list ending in null, oldest first. */
    private static Task reverse(Task newestFirst) {
        Task oldestFirst = null;
        for (Task n = newestFirst; n != BUSY; ) {
            Task next = n.next;
            n.next = oldestFirst;
            oldestFirst = n;
            n = next;
        }
        return oldestFirst;
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            onFailure.accept(t);
        }
    }

    private <T> void acceptSafely(Consumer<? super T> handler, T item) {
        try {
            handler.accept(item);
        } catch (Throwable t) {
            onFailure.accept(t);
        }
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + (target == null ? "run to completion" : "on " + target) + (isBusy() ? ", busy]" : "]");
    }

    /**
     * Work that is its own backlog entry: a connection that is busy queues the task itself rather
     * than a node holding it, so work that comes often can be pooled and queue with no garbage.
     */
    public abstract static class Task implements Runnable {
        /** The next entry while queued, newer first until {@link #reverse} turns the chain round. */
        private Task next;
    }

    /** A queued {@link Runnable}. */
    private static final class Node extends Task {
        private final Runnable task;

        Node(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }
}
