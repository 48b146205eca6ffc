package io.jnetstack.bench;

/**
 * The last bound on a benchmark: whatever hangs (a lost wake-up, a stalled connection), the JVM
 * halts after the given time with exit status 3, as the peers' programs do.
 */
final class Watchdog {
    /** Exit status when the watchdog fires. */
    static final int EXIT_STATUS = 3;

    private Watchdog() {
    }

    /** Starts a daemon thread that halts the JVM after {@code maxSeconds}. */
    static void start(String program, double maxSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep((long) (maxSeconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println(program + ": watchdog fired after " + maxSeconds + " s");
            Runtime.getRuntime().halt(EXIT_STATUS);
        }, program + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
