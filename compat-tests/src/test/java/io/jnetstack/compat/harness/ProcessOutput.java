package io.jnetstack.compat.harness;

import io.jnetstack.tap.testing.NamespaceProcess;
import java.time.Duration;

/** Waiting on what a background process in a test namespace prints. */
public final class ProcessOutput {
    private ProcessOutput() {
    }

    /**
     * Returns once {@code process} has printed {@code line} — a server saying it is listening —
     * failing if it exits first or {@code limit} passes.
     */
    public static void awaitLine(NamespaceProcess process, String line, Duration limit) throws InterruptedException {
        if (!process.awaitOutput(line, limit)) {
            if (!process.process().isAlive()) {
                new ForkedJvm.Result(process.process().exitValue(), process.output()).abortIfNotBuilt();
            }
            throw new AssertionError("no \"" + line + "\" within " + limit + " (alive: " + process.process().isAlive()
                    + "); output:\n" + process.output());
        }
    }

    /** Waits for {@code process} to end, within {@code limit}, and returns what it left. */
    public static ForkedJvm.Result awaitExit(NamespaceProcess process, Duration limit) throws InterruptedException {
        int exitCode = process.awaitExit(limit).orElseThrow(() -> new AssertionError(
                "did not end within " + limit + "; output:\n" + process.output()));
        return new ForkedJvm.Result(exitCode, process.output());
    }
}
