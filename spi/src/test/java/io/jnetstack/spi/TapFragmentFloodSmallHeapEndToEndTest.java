package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelPython;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, attack 2, as reported: a program on jnetstack in a JVM with a 64 MiB heap receives
 * 160,000 first fragments of 8 bytes from the kernel, each the start of another datagram. Before
 * reassembly was charged at true cost this held more than the heap: the TAP reader died of
 * {@code OutOfMemoryError} and the stack went deaf. Now the default reassembly limit (1/64 of the
 * heap) holds, and the unmodified TcpEcho server still answers the kernel's nc afterwards.
 * Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class TapFragmentFloodSmallHeapEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int PORT = 7007;
    private static final int FLOOD = 160_000;
    /**
     * Fragments a second at most: about as many as the program's stack takes on a quiet machine.
     * The flood also never runs more than a few hundred frames ahead of the program, so that the
     * TAP drops none however slow a loaded machine makes the program (before it did, a fifth to
     * over two fifths were lost there, and the unfixed stack then survives).
     */
    private static final int FLOOD_RATE = 40_000;
    /**
     * The flood stops after this long even if it has not sent {@link #FLOOD} fragments: long enough
     * for a program slowed by load to take them, short of the 30 s reassembly timeout, so that
     * every fragment delivered would still be held at its end by a stack that did not limit them.
     */
    private static final int FLOOD_SECONDS = 28;
    /** Below this the unfixed stack survived too (99,000 did not fill its 64 MiB). */
    private static final int MIN_DELIVERED = FLOOD * 3 / 4;
    /** Set, so that the flood's frames can be addressed to the program's stack. */
    private static final String STACK_MAC = "02:6a:6e:00:00:02";

    @RegisterExtension
    final KernelPeer peer = KernelPeer.forAnotherProcess();

    @TempDir
    Path scratch;

    @Test
    void aProgramWithA64MebibyteHeapSurvivesTheFragmentFloodAndKeepsServing() throws Exception {
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        KernelPython.require();
        try (NamespaceProcess server = peer.spawn(AllJar.javaLauncher(), "-Xmx64m", "-cp", AllJar.path().toString(),
                "-Djava.nio.channels.spi.SelectorProvider=" + JnetstackSelectorProvider.class.getName(),
                "-Djnetstack.tap=" + peer.deviceName(),
                "-Djnetstack.ipv4=" + KernelPeer.STACK_ADDRESS.getHostAddress() + "/" + KernelPeer.PREFIX_LENGTH,
                "-Djnetstack.mac=" + STACK_MAC,
                Path.of("src/test/resources/programs/TcpEcho.java").toAbsolutePath().toString(),
                "serve", Integer.toString(PORT), "90")) {
            assertTrue(server.awaitOutput("listening on", LIMIT), "server said: " + server.output());

            try (NamespaceProcess flood = KernelPython.spawn(peer, scratch, KernelPython.class, "memory_flood_attack.py",
                    "fragments", peer.deviceName(), STACK_MAC, KernelPeer.STACK_ADDRESS.getHostAddress(),
                    Integer.toString(FLOOD), Integer.toString(FLOOD_RATE), Integer.toString(FLOOD_SECONDS))) {
                assertEquals(OptionalInt.of(0), flood.awaitExit(LIMIT), flood::output);
                long delivered = peer.deviceCounter("tx_packets");
                String figures = flood.output().trim() + "; the TAP took " + delivered
                        + " frames to the program and dropped " + peer.deviceCounter("tx_dropped");
                System.out.println("TAP fragment flood on -Xmx64m: " + figures);
                assertTrue(delivered >= MIN_DELIVERED, "too few fragments reached the program to test it: " + figures);
            }

            // nc's segments reach the program behind the whole flood.
            CommandResult nc = peer.exec(Duration.ofSeconds(20), "hello after the flood\n".getBytes(StandardCharsets.UTF_8),
                    "nc", "-N", "-w", "10", KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(PORT));
            assertTrue(nc.succeeded(), () -> nc.describe() + "\nserver said: " + server.output());
            assertEquals("hello after the flood\n", nc.output());
            assertTrue(server.process().isAlive(), server::output);
            assertFalse(server.output().contains("OutOfMemoryError"), server::output);
        }
    }
}
