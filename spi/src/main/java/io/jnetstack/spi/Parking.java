package io.jnetstack.spi;

import java.util.concurrent.locks.LockSupport;

/** The one way this package's blocking calls wait: parked until unparked, interrupted or a deadline. */
final class Parking {
    private Parking() {
    }

    /**
     * Parks the current thread until it is unparked or interrupted or, if {@code timed}, until
     * {@code deadline} (a {@link System#nanoTime()} value). The caller re-checks its condition.
     *
     * @return false if the deadline has passed, without parking
     */
    static boolean park(Object blocker, boolean timed, long deadline) {
        if (!timed) {
            LockSupport.park(blocker);
            return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        LockSupport.parkNanos(blocker, remaining);
        return true;
    }
}
