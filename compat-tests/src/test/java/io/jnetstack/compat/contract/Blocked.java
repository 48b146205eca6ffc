package io.jnetstack.compat.contract;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call running on its own thread, for contracts about what another thread does to a blocked
 * call (close, interrupt, wakeup). {@link #start} returns only once the call is blocked inside the
 * provider — parked in jnetstack, or in a native method of the JDK's sun.nio.ch — so the contract
 * acts on a blocked call, never on one that has not got there yet, without sleeping.
 */
public final class Blocked<T> {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Thread thread;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Blocked(Callable<T> body) {
        thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-call");
        thread.setDaemon(true);
    }

    /** Starts {@code body} on a new thread and returns once it blocks. */
    public static <T> Blocked<T> start(Callable<T> body) {
        Blocked<T> b = new Blocked<>(body);
        b.thread.start();
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!b.isBlocked()) {
            if (b.result.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("the call did not block; its thread is " + b.thread.getState() + ", result " + b.result);
            }
            Thread.onSpinWait();
        }
        return b;
    }

    public Thread thread() {
        return thread;
    }

    private boolean isBlocked() {
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length == 0) {
            return false;
        }
        StackTraceElement top = stack[0];
        boolean parked = thread.getState() != Thread.State.RUNNABLE && top.getMethodName().equals("park");
        boolean inKernel = top.isNativeMethod() && top.getClassName().startsWith("sun.nio.ch.");
        boolean waitingOnMonitor = thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING;
        return parked || inKernel || (waitingOnMonitor && Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("wait")));
    }

    /** The call's result, or what it threw, within 5 seconds. */
    public T result() throws Exception {
        try {
            return result.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the blocked call did not end within 5 s; its thread is " + thread.getState());
        }
    }

    /** What the call threw, which must be a {@code type}. */
    public <X extends Throwable> X failure(Class<X> type) {
        return Check.thrown(type, this::result);
    }
}
