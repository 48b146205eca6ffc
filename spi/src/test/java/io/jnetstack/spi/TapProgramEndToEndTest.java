package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.TapPreconditions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unmodified TcpEcho server in a fresh JVM, configured only by system properties
 * ({@code jnetstack.tap}, {@code jnetstack.ipv4}, {@code jnetstack.gateway}) and the -all jar,
 * answers the kernel's {@code nc} across a TAP device whose kernel side is in a test namespace.
 * Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class TapProgramEndToEndTest {
    private static final int PORT = 7007;

    @RegisterExtension
    final KernelPeer peer = KernelPeer.forAnotherProcess();

    @Test
    void theKernelsNcTalksToTheUnmodifiedEchoServerThroughTheTapProperty() throws Exception {
        String allJar = System.getProperty("jnetstack.allJar");
        assumeTrue(allJar != null, "runs in the package phase, on the -all jar");
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", allJar,
                "-Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName(),
                "-Djnetstack.tap=" + peer.deviceName(),
                "-Djnetstack.ipv4=" + KernelPeer.STACK_ADDRESS.getHostAddress() + "/" + KernelPeer.PREFIX_LENGTH,
                "-Djnetstack.gateway=" + KernelPeer.KERNEL_ADDRESS.getHostAddress(),
                Path.of("src/test/resources/programs/TcpEcho.java").toAbsolutePath().toString(),
                "serve", Integer.toString(PORT), "60");
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            // The first line names the provider; the second says the server socket is open, so the
            // default stack, and with it the TAP device, is open too.
            String provider = out.readLine();
            String listening = out.readLine();
            assertEquals("provider " + JnetstackSelectorProvider.class.getName(), provider);
            assertTrue(listening != null && listening.startsWith("listening on"), "server said: " + listening);

            peer.moveDeviceIntoNamespace();
            CommandResult nc = peer.exec(Duration.ofSeconds(20), "hello from the kernel\n".getBytes(StandardCharsets.UTF_8),
                    "nc", "-N", "-w", "10", KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(PORT));

            assertTrue(nc.succeeded(), nc::describe);
            assertEquals("hello from the kernel\n", nc.output());
        } finally {
            server.destroyForcibly();
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the server JVM ends");
        }
    }
}
