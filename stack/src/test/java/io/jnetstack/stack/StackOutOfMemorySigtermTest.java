package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM whose stack threads ran out of heap still serves and still ends on SIGTERM, running its
 * shutdown hooks: {@link OutOfMemoryServer} in a JVM of its own with a 48 MiB heap.
 */
class StackOutOfMemorySigtermTest {
    private static final long STEP_SECONDS = 45;

    @Test
    void serverWhoseStackRanOutOfHeapStillServesAndEndsOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryServer.class.getName()).redirectErrorStream(true).start();
        try {
            List<String> output = new CopyOnWriteArrayList<>();
            CompletableFuture<String> served = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                        if (line.startsWith(OutOfMemoryServer.SERVED)) {
                            served.complete(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    served.completeExceptionally(e);
                }
                served.completeExceptionally(new AssertionError("the server ended early: " + output));
            }, "child-output");
            reader.setDaemon(true);
            reader.start();

            String line = served.get(STEP_SECONDS, TimeUnit.SECONDS);
            assertTrue(Long.parseLong(line.split(" ")[1]) >= 2, "both failures counted: " + line);

            // SIGTERM; Process.destroy() would also close our end of the child's output, losing its last lines.
            assertTrue(child.toHandle().destroy());
            assertTrue(child.waitFor(STEP_SECONDS, TimeUnit.SECONDS), "the JVM ignored SIGTERM: " + output);
            assertEquals(128 + 15, child.exitValue());
            reader.join(TimeUnit.SECONDS.toMillis(STEP_SECONDS));
            assertTrue(output.contains(OutOfMemoryServer.HOOK_DONE), "the shutdown hook ran: " + output);
        } finally {
            child.destroyForcibly();
        }
    }
}
