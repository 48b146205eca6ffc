package io.jnetstack.tap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external commands (ip, ping, socat) with a time limit; output goes through files so no pipe can fill up and block. */
public final class Commands {
    /** How long a killed process gets to disappear before we give up on it. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private Commands() {
    }

    public static CommandResult run(Duration timeout, String... command) {
        return run(timeout, new byte[0], List.of(command));
    }

    /** Runs {@code command} with {@code stdin} as its input; kills it when {@code timeout} passes. */
    public static CommandResult run(Duration timeout, byte[] stdin, List<String> command) {
        Path input = null;
        Path output = null;
        try {
            input = Files.createTempFile("jnetstack-cmd-in", ".bin");
            output = Files.createTempFile("jnetstack-cmd-out", ".txt");
            Files.write(input, stdin);
            Process process = new ProcessBuilder(command)
                    .redirectInput(input.toFile())
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                destroy(process);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new CommandResult(List.copyOf(command), exited ? process.exitValue() : -1, text, !exited);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(input);
            deleteQuietly(output);
        }
    }

    /** Kills {@code process} and its descendants, waiting a bounded time for them to go. */
    static void destroy(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stray temp file is not worth failing a test over.
        }
    }
}
