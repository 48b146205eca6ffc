package io.jnetstack.bench.micro;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks on the thread that calls {@link #drain}, in order. Delivering link frames through it
 * keeps a whole exchange on the benchmark thread without letting a reply re-enter the sender while
 * it is still sending (which immediate inline delivery would do).
 */
final class DrainingExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
    int drain() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }
}
