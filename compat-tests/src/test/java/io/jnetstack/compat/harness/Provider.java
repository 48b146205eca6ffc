package io.jnetstack.compat.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two ways a forked program's JVM gets its java.nio provider: the JDK's own (the oracle), or
 * jnetstack's the way a user adds it — the -all jar on the class path and the provider property.
 */
public enum Provider {
    JDK("sun.nio.ch."),
    JNETSTACK("io.jnetstack.spi.");

    public static final String PROVIDER_CLASS = "io.jnetstack.spi.JnetstackSelectorProvider";
    /** Set by this module's pom; the spi module builds the jar in its package phase. */
    private static final String ALL_JAR_PROPERTY = "jnetstack.allJar";

    private final String implementationPackage;

    Provider(String implementationPackage) {
        this.implementationPackage = implementationPackage;
    }

    /** Whether {@code providerClass}, as a forked JVM reports SelectorProvider.provider(), is this one's. */
    public boolean isImplementedBy(String providerClass) {
        return providerClass.startsWith(implementationPackage);
    }

    /** Class-path entries this provider adds in front of the program's own. */
    List<Path> classPath() {
        return this == JDK ? List.of() : List.of(allJar());
    }

    /** JVM options this provider adds. */
    List<String> jvmOptions() {
        return this == JDK ? List.of() : List.of("-Djava.nio.channels.spi.SelectorProvider=" + PROVIDER_CLASS);
    }

    /**
     * jnetstack's self-contained jar, which must be at least as new as the spi classes: a stale
     * jar would test old code, which happens when only the test phase ran (it is built in package).
     */
    public static Path allJar() {
        String property = System.getProperty(ALL_JAR_PROPERTY);
        assertTrue(property != null, ALL_JAR_PROPERTY + " is set by the pom");
        Path jar = Path.of(property);
        assertTrue(Files.isRegularFile(jar), "the -all jar is built first (mvn verify, or package): " + jar);
        Path spiClasses = jar.getParent().resolve("classes");
        try (Stream<Path> classes = Files.walk(spiClasses)) {
            FileTime newestClass = classes.filter(Files::isRegularFile).map(Provider::modified).max(FileTime::compareTo)
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

    @Override
    public String toString() {
        return this == JDK ? "JDK" : "jnetstack";
    }
}
