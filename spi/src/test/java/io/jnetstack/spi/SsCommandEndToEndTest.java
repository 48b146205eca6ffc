package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.Commands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar jnetstack-spi-VERSION-all.jar ss PID} against an unmodified program that holds
 * a loopback connection on jnetstack. Runs in the package phase, after the -all jar is built.
 */
@Timeout(120)
class SsCommandEndToEndTest {
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);
    private static final Duration SS_LIMIT = Duration.ofSeconds(60);
    private static final String OWNER = "users:((\"" + JnetstackSocketChannel.class.getName() + "\"))";

    @Test
    void ssListsTheProgramsConnectionWithItsQueuesAndTcpVariables() throws Exception {
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
        Path program = Path.of("src/test/resources/programs/HeldConnection.java").toAbsolutePath();
        Process held = new ProcessBuilder(AllJar.javaLauncher(), "-cp", AllJar.path().toString(), program.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> readLine(lines))
                    .get(READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(ready != null && ready.startsWith("ready "), "the program is ready: " + ready);
            String[] ports = ready.split(" ");
            String client = "127.0.0.1:" + ports[1];
            String server = "127.0.0.1:" + ports[2];

            CommandResult ss = Commands.run(SS_LIMIT, AllJar.javaLauncher(), "-jar", AllJar.path().toString(), "ss",
                    String.valueOf(held.pid()));

            assertFalse(ss.timedOut(), ss.output());
            assertEquals(0, ss.exitCode(), ss.output());
            List<String> out = ss.output().lines().toList();
            assertTrue(out.get(0).startsWith("State      Recv-Q Send-Q Local Address:Port"), ss.output());
            int serverSide = indexOfMatch(out, "ESTAB\\s+5\\s+0\\s+" + Pattern.quote(server) + "\\s+"
                    + Pattern.quote(client) + "\\s+" + Pattern.quote(OWNER));
            assertTrue(serverSide > 0, "the accepted side holds the 5 unread bytes in its Recv-Q:\n" + ss.output());
            int clientSide = indexOfMatch(out, "ESTAB\\s+0\\s+0\\s+" + Pattern.quote(client) + "\\s+"
                    + Pattern.quote(server) + "\\s+" + Pattern.quote(OWNER));
            assertTrue(clientSide > 0, "the client side, its 5 bytes acknowledged:\n" + ss.output());
            assertTrue(out.get(clientSide + 1).matches("\t ts sack cubic wscale:\\d+,\\d+ rto:\\d+(\\.\\d+)? "
                    + "rtt:[0-9.]+/[0-9.]+ mss:\\d+ advmss:\\d+ cwnd:\\d+ bytes_acked:5 bytes_received:0 .*"),
                    "ss -i's line: " + out.get(clientSide + 1));
            assertTrue(out.stream().noneMatch(l -> l.startsWith("LISTEN")), "ss lists no listener without -a or -l");
        } finally {
            held.getOutputStream().close(); // the program's input ends: it closes and exits
            if (!held.waitFor(10, TimeUnit.SECONDS)) {
                held.destroyForcibly();
            }
        }
    }

    private static int indexOfMatch(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
