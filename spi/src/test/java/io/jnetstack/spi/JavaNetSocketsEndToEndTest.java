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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A program that uses only java.net's Socket, ServerSocket and DatagramSocket
 * (src/test/resources/programs/PlainSockets.java), in a fresh JVM: with the -all jar as a
 * {@code -javaagent} and nothing else its sockets are jnetstack's, as the program itself reads
 * from jnetstack's MBeans; with the jar only on the class path they stay the kernel's.
 * Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class JavaNetSocketsEndToEndTest {
    private static final Duration PROGRAM_LIMIT = Duration.ofSeconds(60);
    private static final String PROGRAM = "PlainSockets.java";

    @BeforeEach
    void onlyOnceTheJarIsBuilt() {
        // Named by the package-phase execution only; "-Dtest=" also selects this class in the test phase.
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
    }

    private static CommandResult run(List<String> jvmOptions, String... programArguments) {
        List<String> command = new ArrayList<>(List.of(AllJar.javaLauncher()));
        command.addAll(jvmOptions);
        command.add(Path.of("src/test/resources/programs", PROGRAM).toAbsolutePath().toString());
        command.addAll(List.of(programArguments));
        CommandResult run = Commands.run(PROGRAM_LIMIT, new byte[0], command);
        assertTrue(!run.timedOut(), "the program ends");
        return run;
    }

    private static String agent(String arguments) {
        return "-javaagent:" + AllJar.path() + (arguments.isEmpty() ? "" : "=" + arguments);
    }

    private static void assertRanOnJnetstack(CommandResult run) {
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("tcp got ping"), run.output());
        assertTrue(run.output().contains("client owner " + JnetstackSocketImpl.class.getName()), run.output());
        assertTrue(run.output().contains("listener owner " + JnetstackServerSocketImpl.class.getName()), run.output());
        assertTrue(run.output().contains("udp got hello"), run.output());
        assertTrue(run.output().contains("udp datagrams jnetstack received 1"), run.output());
    }

    @Test
    void theAgentAlonePutsPlainSocketsOnJnetstack() {
        assertRanOnJnetstack(run(List.of(agent(""))));
    }

    @Test
    void theAgentTakesJnetstackSettingsAsItsArgument() {
        // processors is checked as the property is: 1 to 1024
        assertRanOnJnetstack(run(List.of(agent("processors=2"))));
    }

    @Test
    void withTheJarOnlyOnTheClassPathPlainSocketsStayOnTheKernel() {
        CommandResult run = run(List.of("-cp", AllJar.path().toString()));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("tcp got ping"), run.output());
        assertTrue(run.output().contains("client owner none"), run.output());
        assertTrue(run.output().contains("udp datagrams jnetstack received none"), run.output());
    }

    @Test
    void thePropertyInstallsTheFactoriesWhenTheProviderStarts() {
        assertRanOnJnetstack(run(List.of("-cp", AllJar.path().toString(), "-D" + JavaNetSockets.PROPERTY + "=true"),
                "nio-first"));
    }

    @Test
    void aBadPropertyValueFailsTheProviderNamingIt() {
        CommandResult run = run(List.of("-cp", AllJar.path().toString(), "-D" + JavaNetSockets.PROPERTY + "=yes"),
                "nio-first");
        assertTrue(run.exitCode() != 0, run.output());
        assertTrue(run.output().contains(JavaNetSockets.PROPERTY + "=yes: expected true or false"), run.output());
    }

    @Test
    void aBadAgentArgumentStopsTheJvmBeforeTheProgramNamingIt() {
        CommandResult run = run(List.of(agent("tapp=tap0")));
        assertTrue(run.exitCode() != 0, run.output());
        assertTrue(run.output().contains("tapp is not a jnetstack setting"), run.output());
        assertTrue(!run.output().contains("tcp got"), "the program did not run:\n" + run.output());
    }

    @Test
    void aBadAgentSettingValueIsRefusedAsThePropertyIs() {
        CommandResult run = run(List.of(agent("processors=lots")));
        assertTrue(run.exitCode() != 0, run.output());
        assertTrue(run.output().contains("jnetstack.processors=lots: expected an integer from 1 to 1024"), run.output());
    }
}
