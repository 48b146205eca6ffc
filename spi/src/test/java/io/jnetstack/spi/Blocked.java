package io.jnetstack.spi;

import java.util.concurrent.locks.LockSupport;

/**
 * Tells when a thread is blocked inside an I/O call, on either provider: jnetstack's park, the
 * JDK's epoll or poll. Tests use it to make a call from another thread land while the first is
 * blocked, the case the specification speaks about.
 */
final class Blocked {
    private static final long LIMIT_NANOS = 10_000_000_000L;

    private Blocked() {
    }

    static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!isBlocked(t)) {
            if (System.nanoTime() > deadline || !t.isAlive()) {
                throw new AssertionError(t.getName() + " never blocked; it is " + t.getState());
            }
            Thread.onSpinWait();
        }
    }

    private static boolean isBlocked(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        if (stack.length == 0) {
            return false;
        }
        StackTraceElement top = stack[0];
        boolean parked = t.getState() != Thread.State.RUNNABLE && top.getClassName().equals("jdk.internal.misc.Unsafe")
                && top.getMethodName().equals("park")
                && java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(LockSupport.class.getName()));
        // The JDK's channels block in a system call: epoll_wait, poll, recvfrom, accept...
        boolean inKernel = top.isNativeMethod() && top.getClassName().startsWith("sun.nio.ch.");
        return parked || inKernel;
    }
}
