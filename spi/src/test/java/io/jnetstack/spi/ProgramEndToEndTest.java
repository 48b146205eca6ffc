package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unmodified java.nio programs (src/test/resources/programs) run in a fresh JVM with nothing
 * added but the -all jar and, where said, the provider property, as a user would run them.
 * Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class ProgramEndToEndTest {
    private static final String PROVIDER_PROPERTY = "-Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName();

    /** Far above what a run takes (a few seconds); the program is killed when it passes. */
    private static final Duration PROGRAM_LIMIT = Duration.ofSeconds(60);

    private static CommandResult run(String program, String... jvmOptions) {
        // Named by the package-phase execution only; "-Dtest=" also selects this class in the test phase.
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
        Path source = Path.of("src/test/resources/programs", program).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(AllJar.javaLauncher(), "-cp", AllJar.path().toString()));
        command.addAll(List.of(jvmOptions));
        command.add(source.toString());
        CommandResult run = Commands.run(PROGRAM_LIMIT, new byte[0], command);
        assertTrue(!run.timedOut(), "the program ends");
        return run;
    }

    private static void assertEchoedThreeTimes(CommandResult run) {
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("provider " + JnetstackSelectorProvider.class.getName()), run.output());
        for (int i = 1; i <= 3; i++) {
            assertTrue(run.output().contains("echo Hello Netstack " + i), run.output());
        }
    }

    /** With the property, or with only the jar on the class path: its service file makes jnetstack the provider. */
    @ParameterizedTest(name = "{0}, provider property: {1}")
    @CsvSource({"UdpEcho.java, true", "UdpEcho.java, false", "TcpEcho.java, true", "TcpEcho.java, false"})
    void echoProgramRunsOnJnetstack(String program, boolean withProviderProperty) throws Exception {
        assertEchoedThreeTimes(withProviderProperty ? run(program, PROVIDER_PROPERTY) : run(program));
    }

    /**
     * Asynchronous channels: with their provider property, or with only the jar on the class path,
     * whose service file makes jnetstack the asynchronous channel provider as well.
     */
    @ParameterizedTest(name = "asynchronous provider property: {0}")
    @CsvSource({"true", "false"})
    void asynchronousEchoProgramRunsOnJnetstack(boolean withProviderProperty) throws Exception {
        CommandResult run = withProviderProperty
                ? run("AsyncTcpEcho.java", "-Djava.nio.channels.spi.AsynchronousChannelProvider="
                        + JnetstackAsynchronousChannelProvider.class.getName())
                : run("AsyncTcpEcho.java");
        assertEchoedThreeTimes(run);
        assertTrue(run.output().contains("asyncProvider " + JnetstackAsynchronousChannelProvider.class.getName()), run.output());
    }

    @Test
    void badConfigurationFailsTheFirstOpenNamingTheProperty() throws Exception {
        CommandResult run = run("UdpEcho.java", PROVIDER_PROPERTY, "-Djnetstack.processors=lots");
        assertTrue(run.exitCode() != 0, run.output());
        assertTrue(run.output().contains("java.io.IOException: invalid jnetstack configuration: "
                + "jnetstack.processors=lots: expected an integer from 1 to 1024"), run.output());
    }
}
