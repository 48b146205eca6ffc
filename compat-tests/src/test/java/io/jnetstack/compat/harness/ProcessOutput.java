package io.jnetstack.compat.harness;

import io.jnetstack.tap.testing.NamespaceProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting on what a background process in a test namespace prints. */
public final class ProcessOutput {
    private static final long POLL_MILLIS = 20;

    private ProcessOutput() {
    }

    /**
     * Returns once {@code process} has printed {@code line} — a server saying it is listening —
     * failing if it exits first or {@code limit} passes. A server in another process gives no
     * other signal, so this reads its output file every {@value #POLL_MILLIS} ms: a bounded wait
     * for readiness, not a sleep standing in for one.
     */
    public static void awaitLine(NamespaceProcess process, String line, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!process.output().contains(line)) {
            if (!process.process().isAlive()) {
                new ForkedJvm.Result(process.process().exitValue(), process.output()).abortIfNotBuilt();
            }
            if (!process.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + line + "\" within " + limit + " (alive: " + process.process().isAlive()
                        + "); output:\n" + process.output());
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** Waits for {@code process} to end, within {@code limit}, and returns what it left. */
    public static ForkedJvm.Result awaitExit(NamespaceProcess process, Duration limit) throws InterruptedException {
        int exitCode = process.awaitExit(limit).orElseThrow(() -> new AssertionError(
                "did not end within " + limit + "; output:\n" + process.output()));
        return new ForkedJvm.Result(exitCode, process.output());
    }
}
