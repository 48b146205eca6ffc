package io.jnetstack.tap.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.jnetstack.testing.ExternalTool;
import java.util.Optional;

/**
 * What tests that touch real TAP devices need: Linux, root, /dev/net/tun and the {@code ip}
 * command. Without them such tests skip, saying what is missing; with
 * {@code JNETSTACK_REQUIRE_TAP=1} (as in CI) they fail instead, so a broken CI machine cannot pass
 * by skipping.
 */
public final class TapPreconditions {

    private TapPreconditions() {
    }

    /** Skips (or, when TAP is required, fails) the current test unless TAP devices can be used. */
    public static void require() {
        missing().ifPresent(TapPreconditions::skipOrFail);
    }

    /** Skips (or, when TAP is required, fails) the current test unless {@code command} is installed. */
    public static void requireCommand(String command, String debianPackage) {
        ExternalTool.require(command, debianPackage, "this TAP interop test cannot run");
    }

    private static void skipOrFail(String missing) {
        ExternalTool.skip("TAP interop test needs " + missing);
    }

    /** The first missing requirement, described; empty when all are there. */
    static Optional<String> missing() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Optional.of("Linux (this is " + System.getProperty("os.name") + ")");
        }
        if (!isRoot()) {
            return Optional.of("root (it creates network namespaces and TAP devices)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("/dev/net/tun (run `modprobe tun`)");
        }
        if (ipCommand().isEmpty()) {
            return Optional.of("the `ip` command (install iproute2)");
        }
        return Optional.empty();
    }

    /** The absolute path of the {@code ip} command, if installed. */
    public static Optional<String> ipCommand() {
        return findCommand("ip");
    }

    /** The absolute path of {@code command} on PATH or in the usual system directories. */
    public static Optional<String> findCommand(String command) {
        return Optional.ofNullable(ExternalTool.find(command));
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the process's effective uid.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
