package io.jnetstack.compat.contract;

import java.util.Objects;

/**
 * The assertions contracts use. Contracts run in a child JVM whose class path holds only the
 * test classes (and, for jnetstack, its -all jar), not JUnit, so they bring their own.
 */
public final class Check {
    private Check() {
    }

    /** An action that may throw anything, for {@link #thrown}. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    public static void isTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The exception {@code action} throws, which must be a {@code type}. */
    public static <T extends Throwable> T thrown(Class<T> type, Action action) {
        try {
            action.run();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            throw new AssertionError("expected " + type.getName() + " but got " + e, e);
        }
        throw new AssertionError("expected " + type.getName() + " but nothing was thrown");
    }

    /** The exception {@code action} throws, which must be a {@code type} whose message is {@code message}. */
    public static <T extends Throwable> T thrown(Class<T> type, String message, Action action) {
        T e = thrown(type, action);
        equal(message, e.getMessage(), "message of " + e);
        return e;
    }
}
