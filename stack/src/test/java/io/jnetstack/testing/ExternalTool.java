package io.jnetstack.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds programs a test needs on PATH (tshark, ip, socat, ...). Without one the test is skipped
 * with the reason, except where {@code JNETSTACK_REQUIRE_TAP=1} (CI, which installs them all):
 * there a missing program fails the test, so a green CI run cannot hide a skipped interop test.
 */
public final class ExternalTool {
    public static final String REQUIRE_ENV = "JNETSTACK_REQUIRE_TAP";

    private ExternalTool() {
    }

    /** True where skipping for a missing tool or privilege must fail instead. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENV));
    }

    /** Skips (or, where required, fails) the running test with {@code reason}. */
    public static void skip(String reason) {
        if (required()) {
            fail(reason + " (" + REQUIRE_ENV + "=1 forbids skipping)");
        }
        Assumptions.abort(reason);
    }

    /** The path of {@code program} on PATH, or null. */
    public static String find(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The path of {@code program}; skips (or fails) the test when it is not installed. */
    public static String require(String program, String whatFor) {
        String path = find(program);
        if (path == null) {
            skip(program + " is not on PATH, so " + whatFor + " (install it: apt-get install " + program + ")");
        }
        return path;
    }
}
