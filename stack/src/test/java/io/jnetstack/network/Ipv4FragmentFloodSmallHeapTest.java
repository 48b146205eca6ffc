package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's fragment flood where it threw {@code OutOfMemoryError}: first fragments of 8 bytes at
 * a stack in a JVM with a 64 MiB heap, whose default reassembly limit is derived from that heap.
 * The JVM must come through and still reassemble a real datagram, within a minute. Over TAP,
 * 160,000 fragments exhausted that heap; injected on a pipe each costs a little less, so the flood
 * here is 200,000 (the unfixed stack held 61 MB of 64 after 160,000 and failed at 200,000).
 */
class Ipv4FragmentFloodSmallHeapTest {
    private static final int FLOOD = 200_000;

    @Test
    void aSixtyFourMegabyteJvmSurvivesTheFloodAndStillServes() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                FragmentFloodMain.class.getName(), Integer.toString(FLOOD)))
                .redirectErrorStream(true).start();
        try {
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            String output = output(p);
            assertTrue(exited, "the flooded JVM did not finish within a minute: " + output);
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("serves=true"), output);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String output(Process p) throws IOException {
        return p.isAlive() ? "(still running)" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
