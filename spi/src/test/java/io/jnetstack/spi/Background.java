package io.jnetstack.spi;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A call running on its own thread, for tests of what another thread does to a blocked call.
 * {@link #awaitBlocked()} tells when the call is blocked inside the provider, on either provider:
 * jnetstack's park or the JDK's system call (epoll_wait, poll, recvfrom, accept...).
 */
final class Background<T> {
    private static final long LIMIT_NANOS = 10_000_000_000L;

    private final Thread thread;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Background(Callable<T> body) {
        thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "background-call");
    }

    static <T> Background<T> call(Callable<T> body) {
        Background<T> b = new Background<>(body);
        b.thread.start();
        return b;
    }

    /** Starts {@code body} and returns once it is blocked. */
    static <T> Background<T> blocked(Callable<T> body) {
        return call(body).awaitBlocked();
    }

    Thread thread() {
        return thread;
    }

    Background<T> awaitBlocked() {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!isBlocked()) {
            if (System.nanoTime() > deadline || result.isDone()) {
                throw new AssertionError("the call never blocked; its thread is " + thread.getState() + ", result " + result);
            }
            Thread.onSpinWait();
        }
        return this;
    }

    private boolean isBlocked() {
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length == 0) {
            return false;
        }
        StackTraceElement top = stack[0];
        boolean parked = thread.getState() != Thread.State.RUNNABLE && top.getMethodName().equals("park")
                && Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(LockSupport.class.getName()));
        boolean inKernel = top.isNativeMethod() && top.getClassName().startsWith("sun.nio.ch.");
        return parked || inKernel;
    }

    /** The call's result, or what it threw. */
    T get() throws Exception {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
