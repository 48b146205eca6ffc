package io.jnetstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Wireshark's tshark as an independent judge of the frames jnetstack writes. */
public final class Tshark {
    /** Makes tshark check IPv4 header checksums, which it skips by default. */
    public static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";

    /**
     * A word tshark's packet details use for a problem. Whole words only: hex dumps and field values
     * ("Identification: 0xbad0", "Data: 0bad...") spell "bad" all the time.
     */
    private static final Pattern PROBLEM_WORD = Pattern.compile("(?i)\\b(malformed|bad|incorrect)\\b");
    /**
     * A line of the hex dump {@code -V} adds for extra data sources (a reassembled or decoded-as
     * payload): offset, bytes, and an ASCII column that may spell anything.
     */
    private static final Pattern HEX_DUMP_LINE = Pattern.compile("^[0-9a-f]{4,}  [0-9a-f]{2} ");
    /** A section heading of {@code -z expert}: "Errors (1)", "Warns (2)" (tshark 4.0) or "Warnings (2)". */
    private static final Pattern EXPERT_SECTION = Pattern.compile("^(Errors|Warns|Warnings|Notes|Chats|Comments) \\(\\d+\\)$");
    /** The expert sections that hold problems (Notes, Chats and Comments only describe the traffic). */
    private static final Set<String> PROBLEM_SECTIONS = Set.of("Errors", "Warns", "Warnings");
    /** A row of an expert section: frequency, group, protocol, summary. */
    private static final Pattern EXPERT_ROW = Pattern.compile("^\\s+\\d+\\s+\\S+.*$");

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
     * Problems tshark reports in a capture, one line each: malformed packets, bad checksums (IPv4
     * header checksums included) and the rows of its expert report's Errors and Warnings. Empty
     * for a clean capture. {@code options} go to tshark as well, e.g. {@code "-d",
     * "tcp.port==5001,data"} so that a payload is not decoded as the protocol its port suggests.
     */
    public List<String> problems(Path file, String... options) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (String line : run(withCapture(file, options, "-V")).split("\n")) {
            if (PROBLEM_WORD.matcher(line).find() && !HEX_DUMP_LINE.matcher(line).find()) {
                problems.add(line.trim());
            }
        }
        String section = "";
        for (String line : run(withCapture(file, options, "-q", "-z", "expert")).split("\n")) {
            Matcher heading = EXPERT_SECTION.matcher(line);
            if (heading.matches()) {
                section = heading.group(1);
            } else if (PROBLEM_SECTIONS.contains(section) && EXPERT_ROW.matcher(line).matches()) {
                problems.add(section + ": " + line.trim());
            }
        }
        return problems;
    }

    private static String[] withCapture(Path file, String[] options, String... more) {
        List<String> args = new ArrayList<>(List.of("-r", file.toString(), "-o", CHECK_IP_CHECKSUMS));
        args.addAll(List.of(options));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
