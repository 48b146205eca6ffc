package io.jnetstack.testing;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * An executor that only queues; the test runs the queue with {@link #runPending()}. Used as the
 * delivery executor of in-memory links so that a whole exchange between stacks happens on the
 * test's thread, in a deterministic order, without recursion.
 */
public final class ManualExecutor implements Executor {
    /** Bound on tasks run by one {@link #runPending()}: a ping-pong that never ends is a bug. */
    private static final int MAX_TASKS_PER_RUN = 1_000_000;

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        queue.add(task);
    }

    /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
    public int runPending() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                return ran;
            }
            if (++ran > MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_RUN + " tasks: the exchange does not settle");
            }
            next.run();
        }
    }

    public synchronized int pending() {
        return queue.size();
    }
}
