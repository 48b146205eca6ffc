package io.jnetstack.compat.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program started in a fresh JVM on one {@link Provider}, as a user would start it: the program's
 * own classes (this module's test classes, plus Netty's jars when it needs them), and for jnetstack
 * only the -all jar and the provider property added. Nothing of jnetstack is on the class path
 * otherwise, so the program reaches jnetstack through java.nio alone.
 */
public final class ForkedJvm {
    private final Provider provider;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<Path> extraClassPath = new ArrayList<>();
    private final String mainClass;
    private final List<String> arguments;

    private ForkedJvm(Provider provider, String mainClass, String... arguments) {
        this.provider = provider;
        this.mainClass = mainClass;
        this.arguments = List.of(arguments);
    }

    public static ForkedJvm of(Provider provider, Class<?> mainClass, String... arguments) {
        return new ForkedJvm(provider, mainClass.getName(), arguments);
    }

    /** Adds a JVM option, such as {@code -Djnetstack.tap=...}. */
    public ForkedJvm option(String jvmOption) {
        jvmOptions.add(jvmOption);
        return this;
    }

    /** Adds the test class path's Netty jars, for programs written against Netty. */
    public ForkedJvm withNetty() {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Arrays.stream(testClassPath.split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("netty-"))
                .forEach(extraClassPath::add);
        assertTrue(!extraClassPath.isEmpty(), "Netty is on the test class path");
        return this;
    }

    /** The whole command line. */
    public List<String> command() {
        List<Path> classPath = new ArrayList<>(provider.classPath());
        classPath.add(Path.of("target", "test-classes").toAbsolutePath());
        classPath.addAll(extraClassPath);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList())));
        command.addAll(provider.jvmOptions());
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /** What a finished program left: its exit code and its stdout and stderr together. */
    public record Result(int exitCode, String output) {
    }

    /** Runs the program to its end, killing it (and failing) after {@code limit}. */
    public Result run(Duration limit) throws IOException, InterruptedException {
        Path output = Files.createTempFile("jnetstack-forked", ".txt");
        try {
            Process process = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(mainClass + " on " + provider + " did not end within " + limit + "; its output:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
