package io.jnetstack.link;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that only queues tasks; the test runs them with {@link #runAll}, on its own thread. */
final class ManualExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs queued tasks, including ones queued meanwhile, until none is left; returns how many ran. */
    int runAll() {
        int ran = 0;
        for (Runnable t; (t = tasks.poll()) != null; ran++) {
            t.run();
        }
        return ran;
    }

    int pending() {
        return tasks.size();
    }
}
