package io.jnetstack.spi.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * What a test needs to run a program in a fresh JVM on jnetstack as a user would: this JVM's java
 * launcher and spi's self-contained -all jar. The jar is built in spi's package phase; the build
 * names it in the {@value #PROPERTY} property where it exists by then (spi's package-phase tests,
 * compat-tests).
 */
public final class AllJar {
    public static final String PROPERTY = "jnetstack.allJar";

    private AllJar() {
    }

    /** The java launcher of the running JVM. */
    public static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Whether the build named the jar: not in spi's test phase, which runs before it is built. */
    public static boolean isNamed() {
        return System.getProperty(PROPERTY) != null;
    }

    /**
     * The jar the build named, which must exist and be at least as new as spi's classes: a stale
     * jar would test old code, which happens when only the test phase ran.
     */
    public static Path path() {
        String property = System.getProperty(PROPERTY);
        assertTrue(property != null, PROPERTY + " is set by the pom");
        Path jar = Path.of(property);
        assertTrue(Files.isRegularFile(jar), "the -all jar is built first (mvn verify, or package): " + jar);
        Path spiClasses = jar.getParent().resolve("classes");
        try (Stream<Path> classes = Files.walk(spiClasses)) {
            FileTime newestClass = classes.filter(Files::isRegularFile).map(AllJar::modified).max(FileTime::compareTo)
                    .orElse(FileTime.fromMillis(0));
            assertTrue(modified(jar).compareTo(newestClass) >= 0,
                    "the -all jar is older than spi's classes; rebuild it with mvn verify (package phase): " + jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
