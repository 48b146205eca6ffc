package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int PORT = 7007;

    @RegisterExtension
    final KernelPeer peer = KernelPeer.forAnotherProcess();

    @Test
    void theKernelsNcTalksToTheUnmodifiedEchoServerThroughTheTapProperty() throws Exception {
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        try (NamespaceProcess server = peer.spawn(AllJar.javaLauncher(), "-cp", AllJar.path().toString(),
                "-Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName(),
                "-Djnetstack.tap=" + peer.deviceName(),
                "-Djnetstack.ipv4=" + KernelPeer.STACK_ADDRESS.getHostAddress() + "/" + KernelPeer.PREFIX_LENGTH,
                "-Djnetstack.gateway=" + KernelPeer.KERNEL_ADDRESS.getHostAddress(),
                Path.of("src/test/resources/programs/TcpEcho.java").toAbsolutePath().toString(),
                "serve", Integer.toString(PORT), "60")) {
            // "listening" is printed once the server socket is open, so the default stack and its
            // TAP device are open too.
            assertTrue(server.awaitOutput("listening on", LIMIT), "server said: " + server.output());
            assertTrue(server.output().contains("provider " + JnetstackSelectorProvider.class.getName()), server.output());

            CommandResult nc = peer.exec(Duration.ofSeconds(20), "hello from the kernel\n".getBytes(StandardCharsets.UTF_8),
                    "nc", "-N", "-w", "10", KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(PORT));

            assertTrue(nc.succeeded(), nc::describe);
            assertEquals("hello from the kernel\n", nc.output());
        }
    }
}
