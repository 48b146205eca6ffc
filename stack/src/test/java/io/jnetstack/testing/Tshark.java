package io.jnetstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Wireshark's tshark as an independent judge of the frames jnetstack writes. */
public final class Tshark {
    /** Makes tshark check IPv4 header checksums, which it skips by default. */
    public static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";

    private final String path;

    private Tshark(String path) {
        this.path = path;
    }

    /** tshark, or a skipped (on CI: failed) test when it is not installed. */
    public static Tshark require() {
        return new Tshark(ExternalTool.require("tshark", "captures cannot be checked with Wireshark's decoder"));
    }

    /** Runs tshark with {@code args} and returns its standard output; fails the test on a non-zero exit. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(path);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "tshark " + command + " failed:\n" + text);
        return text;
    }

    /**
     * Problems tshark reports in a capture: malformed packets, bad checksums (IPv4 header checksums
     * included), expert errors and warnings. Empty for a clean capture.
     */
    public List<String> problems(Path file) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        String details = run("-r", file.toString(), "-o", CHECK_IP_CHECKSUMS, "-V");
        for (String line : details.split("\n")) {
            String l = line.toLowerCase();
            if (l.contains("malformed") || l.contains("bad") || l.contains("incorrect")) {
                problems.add(line.trim());
            }
        }
        String expert = run("-r", file.toString(), "-o", CHECK_IP_CHECKSUMS, "-q", "-z", "expert");
        if (expert.contains("Errors") || expert.contains("Warnings")) {
            problems.add(expert.trim());
        }
        return problems;
    }
}
