package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unmodified java.nio programs (src/test/resources/programs) run in a fresh JVM with nothing
 * added but the -all jar and, where said, the provider property, as a user would run them.
 * Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class ProgramEndToEndTest {
    private static final String PROVIDER_PROPERTY = "-Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName();

    private record Run(int exitCode, String output) {
    }

    private static Run run(String program, String... jvmOptions) throws IOException, InterruptedException {
        String allJar = System.getProperty("jnetstack.allJar");
        // Set by the package-phase execution only; "-Dtest=" also selects this class in the test phase.
        assumeTrue(allJar != null, "runs in the package phase, on the -all jar");
        assertTrue(Files.isRegularFile(Path.of(allJar)), "the -all jar is built first: " + allJar);
        Path source = Path.of("src/test/resources/programs", program).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", allJar));
        command.addAll(List.of(jvmOptions));
        command.add(source.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the program ends");
        return new Run(p.exitValue(), output);
    }

    private static void assertEchoedThreeTimes(Run run) {
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("provider " + JnetstackSelectorProvider.class.getName()), run.output());
        for (int i = 1; i <= 3; i++) {
            assertTrue(run.output().contains("echo Hello Netstack " + i), run.output());
        }
    }

    @Test
    void udpEchoRunsOnJnetstackWithTheProviderProperty() throws Exception {
        assertEchoedThreeTimes(run("UdpEcho.java", PROVIDER_PROPERTY));
    }

    @Test
    void udpEchoRunsOnJnetstackWithOnlyTheJarOnTheClassPath() throws Exception {
        assertEchoedThreeTimes(run("UdpEcho.java"));
    }

    @Test
    void tcpEchoRunsOnJnetstackWithTheProviderProperty() throws Exception {
        assertEchoedThreeTimes(run("TcpEcho.java", PROVIDER_PROPERTY));
    }

    @Test
    void tcpEchoRunsOnJnetstackWithOnlyTheJarOnTheClassPath() throws Exception {
        assertEchoedThreeTimes(run("TcpEcho.java"));
    }

    @Test
    void badConfigurationFailsTheFirstOpenNamingTheProperty() throws Exception {
        Run run = run("UdpEcho.java", PROVIDER_PROPERTY, "-Djnetstack.processors=lots");
        assertTrue(run.exitCode() != 0, run.output());
        assertTrue(run.output().contains("java.io.IOException: invalid jnetstack configuration: "
                + "jnetstack.processors=lots: expected an integer from 1 to 1024"), run.output());
    }
}
