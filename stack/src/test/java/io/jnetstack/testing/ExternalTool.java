package io.jnetstack.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds programs a test needs on PATH (tshark, ip, socat, ...). Without one the test is skipped
 * with the reason, except where {@code JNETSTACK_REQUIRE_TAP=1} (CI, which installs them all):
 * there a missing program fails the test, so a green CI run cannot hide a skipped interop test.
 */
public final class ExternalTool {
    public static final String REQUIRE_ENV = "JNETSTACK_REQUIRE_TAP";
    /** Where programs live when PATH lacks the sbin directories (as it may for a non-login shell). */
    private static final List<String> FALLBACK_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

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

    /** The path of {@code program} on PATH or in the usual system directories, or null. */
    public static String find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), FALLBACK_DIRS.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse(null);
    }

    /** The path of {@code program}; skips (or fails) the test when it is not installed. */
    public static String require(String program, String whatFor) {
        return require(program, program, whatFor);
    }

    /** As {@link #require(String, String)}, naming the Debian package that installs the program. */
    public static String require(String program, String debianPackage, String whatFor) {
        String path = find(program);
        if (path == null) {
            skip(program + " is not installed, so " + whatFor + " (apt-get install " + debianPackage + ")");
        }
        return path;
    }
}
