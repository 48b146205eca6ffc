package io.jnetstack.tap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A command running in the background inside a {@link KernelPeer}'s namespace; killed at teardown at the latest. */
public final class NamespaceProcess implements AutoCloseable {
    private static final long POLL_MILLIS = 20;

    private final Process process;
    private final Path outputFile;

    NamespaceProcess(Process process, Path outputFile) {
        this.process = process;
        this.outputFile = outputFile;
    }

    public Process process() {
        return process;
    }

    /** Its stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(outputFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns true once the process has printed {@code text} (a server saying it listens), false if
     * it exits first or {@code limit} passes. A process in another namespace gives no other signal,
     * so this re-reads its output file every {@value #POLL_MILLIS} ms: a bounded wait for
     * readiness, not a sleep standing in for one.
     */
    public boolean awaitOutput(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return output().contains(text);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** The exit code, or empty if it is still running after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    @Override
    public void close() {
        try {
            Commands.destroy(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Commands.deleteQuietly(outputFile);
        }
    }
}
