package io.jnetstack.stack;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One processor: a daemon thread that runs its tasks in order. A task that throws anything, an
 * {@link OutOfMemoryError} included, is dropped and reported, and the thread takes the next one: a
 * thread pool's worker would die instead and need a new thread, which is exactly what cannot be
 * had when the heap is exhausted.
 */
final class ProcessorThread implements Executor {
    /** Queued by {@link #shutdown} behind the last task: the thread ends when it reaches it. */
    private static final Runnable END = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Consumer<Throwable> onFailure;
    private final Thread thread;
    private volatile boolean stopped;
    /** Set by {@link #shutdown}: no new tasks; the thread ends after the queued ones. */
    private volatile boolean draining;

    ProcessorThread(String name, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        this.thread = new Thread(this::runTasks, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code task}; rejected once {@link #shutdown} or {@link #stop} was called. */
    @Override
    public void execute(Runnable task) {
        if (stopped || draining) {
            throw new RejectedExecutionException(thread.getName() + " is stopped");
        }
        tasks.add(task);
    }

    /** Takes no new tasks, runs those already queued, then ends the thread. */
    void shutdown() {
        draining = true;
        tasks.add(END);
    }

    /** Waits up to {@code nanos} for the thread to end after {@link #shutdown}; true if it did. */
    boolean awaitTermination(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        return !thread.isAlive();
    }

    /** Drops the queued tasks and ends the thread once the running task returns. */
    void stop() {
        stopped = true;
        tasks.clear();
        thread.interrupt();
    }

    private void runTasks() {
        while (!stopped) {
            try {
                Runnable task = tasks.take();
                if (task == END) {
                    return;
                }
                task.run();
            } catch (InterruptedException e) {
                // stop() ends the loop; an interrupt a task left behind is cleared by throwing here.
            } catch (Throwable t) {
                onFailure.accept(t);
            }
        }
    }
}
