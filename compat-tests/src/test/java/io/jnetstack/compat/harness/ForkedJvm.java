package io.jnetstack.compat.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.jnetstack.compat.contract.ContractRunner;
import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.Commands;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        List<String> command = new ArrayList<>(List.of(AllJar.javaLauncher(),
                "-cp", String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList())));
        command.addAll(provider.jvmOptions());
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /** What a finished program left: its exit code and its stdout and stderr together. */
    public record Result(int exitCode, String output) {
        /**
         * Skips the calling test when the provider said it does not offer what the program uses
         * yet (jnetstack's TCP before its socket channels are built), so such a run reads as a
         * skip with the reason, not as a program failure.
         */
        public Result abortIfNotBuilt() {
            if (output.contains(ContractRunner.NOT_BUILT_MARK)) {
                abort("the provider does not offer this yet:\n" + output);
            }
            return this;
        }
    }

    /** Runs the program to its end, killing it (and failing) after {@code limit}. */
    public Result run(Duration limit) {
        CommandResult run = Commands.run(limit, new byte[0], command());
        if (run.timedOut()) {
            throw new AssertionError(mainClass + " on " + provider + " did not end within " + limit + "; its output:\n"
                    + run.output());
        }
        return new Result(run.exitCode(), run.output());
    }
}
