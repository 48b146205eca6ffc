package io.jnetstack.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's recipe, end to end: a JVM started with {@code -XX:StartFlightRecording} and the JDK's
 * default settings plus jnetstack.jfc (extracted from the class path, as a user extracts it from
 * the jar) runs {@link FaultyTransfer}; the JDK's {@code jfr} tool then prints its events.
 */
class JfrToolTest {
    private static final long CHILD_LIMIT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void jfrPrintShowsTheEventsOfARecordingStartedOnTheCommandLine() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jfr = javaHome.resolve("bin").resolve("jfr");
        if (!Files.isExecutable(jfr)) {
            ExternalTool.skip(jfr + " is missing: the tests run on a JRE, not a JDK");
        }
        Path settings = dir.resolve("jnetstack.jfc");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(JfrSettings.RESOURCE)) {
            Files.copy(in, settings);
        }
        Path recording = dir.resolve("x.jfr");
        String childOutput = run(javaHome.resolve("bin").resolve("java").toString(),
                "-XX:StartFlightRecording:settings=default,settings=" + settings + ",filename=" + recording,
                "-cp", System.getProperty("java.class.path"), FaultyTransfer.class.getName());
        Matcher ports = Pattern.compile("client port (\\d+), refused port (\\d+)").matcher(childOutput);
        assertTrue(ports.find(), childOutput);
        String clientPort = ports.group(1);
        String refusedPort = ports.group(2);

        String connects = run(jfr.toString(), "print", "--events", "jnetstack.Connect", recording.toString());
        assertEquals(2, count(connects, "jnetstack.Connect {"), connects);
        assertTrue(connects.contains("localPort = " + clientPort), connects);
        assertTrue(connects.contains("localPort = " + refusedPort), connects);
        assertTrue(connects.contains("failure = \"Connection refused\""), connects);

        String others = run(jfr.toString(), "print", "--events",
                "jnetstack.Accept,jnetstack.Reset,jnetstack.Close,jnetstack.RetransmissionTimeout,jnetstack.PacketDrop",
                recording.toString());
        assertEquals(1, count(others, "jnetstack.Accept {"), others);
        assertEquals(2, count(others, "direction = \"received\""), others);
        assertTrue(others.contains("reason = \"Connection reset\""), others);
        assertTrue(others.contains("state = \"SYN_SENT\""), others);
        assertTrue(others.contains("rto = 2.00 s"), others);
        assertTrue(others.contains("reason = \"TCP_INVALID_SEGMENTS\""), others);

        // jfr summary lists every event type with its count; the JDK's default settings record this one.
        String summary = run(jfr.toString(), "summary", recording.toString());
        Matcher jvmInformation = Pattern.compile("jdk\\.JVMInformation\\s+(\\d+)").matcher(summary);
        assertTrue(jvmInformation.find() && Integer.parseInt(jvmInformation.group(1)) > 0,
                () -> "the default settings applied beside jnetstack.jfc:\n" + summary);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Runs a command to its end, within a bounded time, and returns its output; fails on a non-zero exit. */
    private String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(CHILD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + CHILD_LIMIT_SECONDS + " s");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
