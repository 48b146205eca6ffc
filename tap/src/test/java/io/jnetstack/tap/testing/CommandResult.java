package io.jnetstack.tap.testing;

import java.util.List;

/** How a command ended: its exit code (-1 if it had to be killed), its stdout and stderr interleaved. */
public record CommandResult(List<String> command, int exitCode, String output, boolean timedOut) {
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** This result, or an AssertionError showing the command and its output. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new AssertionError(describe());
        }
        return this;
    }

    public String describe() {
        return "`" + String.join(" ", command) + "` " + (timedOut ? "timed out" : "exited with " + exitCode)
                + (output.isEmpty() ? "" : ":\n" + output);
    }
}
