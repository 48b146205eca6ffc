package io.jnetstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.spi.testing.AllJar;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.Commands;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Watching a running program": {@code SelectorEchoServer --clients 2 --hold}, unmodified,
 * in its own JVM on spi's -all jar (the embedded loopback stack), seen from another process with
 * {@code java -jar jnetstack-spi-VERSION-all.jar ss -a PID}. Runs in the package phase, after spi
 * built the jar.
 */
@Timeout(120)
class SelectorEchoServerSsEndToEndTest {
    private static final int CLIENTS = 2;
    /** Three "Hello Netstack i" messages of 16 bytes each, every one echoed back. */
    private static final int BYTES_EACH_WAY = 3 * 16;
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);
    private static final Duration SS_LIMIT = Duration.ofSeconds(60);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);
    private static final Pattern ADDRESS = Pattern.compile("/(127\\.0\\.0\\.1:\\d+)$");
    private static final String CONNECTION_OWNER = owner("io.jnetstack.spi.JnetstackSocketChannel");
    private static final String LISTENER_OWNER = owner("io.jnetstack.spi.JnetstackServerSocketChannel");

    @Test
    void ssListsTheExamplesListenerAndBothEndsOfEachClientsConnection() throws Exception {
        assumeTrue(AllJar.isNamed(), "runs in the package phase, on the -all jar");
        Process example = new ProcessBuilder(AllJar.javaLauncher(), "-cp", AllJar.path() + File.pathSeparator
                + examplesClasses(), SelectorEchoServer.class.getName(), "--clients", String.valueOf(CLIENTS), "--hold")
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(example.getInputStream(), StandardCharsets.UTF_8));
            List<String> printed = CompletableFuture.supplyAsync(() -> linesUntilHolding(lines))
                    .get(READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            String server = address(printed, "selector echo server on ");
            List<String> clients = new ArrayList<>();
            for (int c = 1; c <= CLIENTS; c++) {
                clients.add(address(printed, "client " + c + " on "));
            }

            CommandResult ss = Commands.run(SS_LIMIT, AllJar.javaLauncher(), "-jar", AllJar.path().toString(), "ss", "-a",
                    String.valueOf(example.pid()));

            assertFalse(ss.timedOut(), ss.output());
            assertEquals(0, ss.exitCode(), ss.output());
            List<String> out = ss.output().lines().toList();
            assertTrue(out.get(0).startsWith("State      Recv-Q Send-Q Local Address:Port"), ss.output());
            assertTrue(indexOfMatch(out, "LISTEN\\s+0\\s+\\d+\\s+" + Pattern.quote(server) + "\\s+\\*:\\*\\s+"
                    + Pattern.quote(LISTENER_OWNER)) > 0, "the listener, -a given:\n" + ss.output());
            assertEquals(2 * CLIENTS, out.stream().filter(l -> l.startsWith("ESTAB")).count(),
                    "both ends of each client's connection:\n" + ss.output());
            for (String client : clients) {
                // The client read every echo, each carrying the ACK of what it had sent: nothing queued either way.
                int clientSide = indexOfMatch(out, "ESTAB\\s+0\\s+0\\s+" + Pattern.quote(client) + "\\s+"
                        + Pattern.quote(server) + "\\s+" + Pattern.quote(CONNECTION_OWNER));
                assertTrue(clientSide > 0, "client " + client + "'s side:\n" + ss.output());
                assertTrue(out.get(clientSide + 1).matches(tcpInfo(BYTES_EACH_WAY, BYTES_EACH_WAY)),
                        "ss -i's line: " + out.get(clientSide + 1));
                // The server read all it was sent; the ACK of its last echo may still be delayed, so its Send-Q is not fixed.
                int serverSide = indexOfMatch(out, "ESTAB\\s+0\\s+\\d+\\s+" + Pattern.quote(server) + "\\s+"
                        + Pattern.quote(client) + "\\s+" + Pattern.quote(CONNECTION_OWNER));
                assertTrue(serverSide > 0, "the accepted side of " + client + ":\n" + ss.output());
                assertTrue(out.get(serverSide + 1).matches(tcpInfo("\\d+", BYTES_EACH_WAY)),
                        "ss -i's line: " + out.get(serverSide + 1));
            }
        } finally {
            example.getOutputStream().close(); // its input ends: the example closes its connections and exits
            if (!example.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                example.destroyForcibly().waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A regular expression for ss -i's line of a connection with these bytes acknowledged and received. */
    private static String tcpInfo(Object bytesAcked, Object bytesReceived) {
        return "\t ts sack cubic wscale:\\d+,\\d+ rto:\\d+(\\.\\d+)? rtt:[0-9.]+/[0-9.]+ mss:\\d+ advmss:\\d+ cwnd:\\d+ "
                + "bytes_acked:" + bytesAcked + " bytes_received:" + bytesReceived + " .*";
    }

    private static String owner(String channelClass) {
        return "users:((\"" + channelClass + "\"))";
    }

    private static Path examplesClasses() throws URISyntaxException {
        return Path.of(SelectorEchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** What the example printed up to its "holding" line, after which it waits for its input to end. */
    private static List<String> linesUntilHolding(BufferedReader reader) {
        List<String> printed = new ArrayList<>();
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                printed.add(line);
                if (line.startsWith("holding ")) {
                    return printed;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the example ended before holding its connections:\n" + String.join("\n", printed));
    }

    /** The address:port the example printed after {@code prefix}, as ss prints it. */
    private static String address(List<String> printed, String prefix) {
        for (String line : printed) {
            Matcher m = ADDRESS.matcher(line);
            if (line.startsWith(prefix) && m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no \"" + prefix + "ADDRESS\" line in:\n" + String.join("\n", printed));
    }

    private static int indexOfMatch(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }
}
