package io.jnetstack.link;

import io.jnetstack.testing.ManualExecutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.ManualClock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wireshark's tshark, an independent decoder, must read our captures without complaint. */
class PcapTsharkTest {
    /** Makes tshark check IPv4 header checksums, which it skips by default. */
    private static final String CHECK_IP_CHECKSUMS = "ip.check_checksum:TRUE";

    private static String tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        tshark = findOnPath("tshark");
        if (tshark == null) {
            String reason = "tshark is not on PATH, so captures cannot be checked with Wireshark's decoder";
            if ("1".equals(System.getenv("JNETSTACK_REQUIRE_TAP"))) {
                fail(reason + " (JNETSTACK_REQUIRE_TAP=1 requires it)");
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    private static String findOnPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Captures the frames through a sniffer on one end of a pipe, as the stack would. */
    private Path capture(byte[]... frames) throws IOException {
        Path file = dir.resolve("capture.pcap");
        ManualExecutor executor = new ManualExecutor();
        PipeLink.Pair pipe = PipeLink.pair(1500, TestFrames.MAC_A, TestFrames.MAC_B, DeliveryMode.on(executor));
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET, new ManualClock());
                SniffingLink sniffer = new SniffingLink(pipe.a(), writer)) {
            for (byte[] f : frames) {
                sniffer.writeFrame(PacketBuffer.wrap(f, 0, f.length));
            }
            executor.runPending();
        }
        return file;
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tshark);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "tshark " + command + " failed:\n" + text);
        return text;
    }

    /** Problems tshark reports in a capture: malformed packets, bad checksums, expert errors and warnings. */
    private static List<String> problems(Path file) throws IOException, InterruptedException {
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

    @Test
    void tsharkDecodesArpAndIcmpEchoFrames() throws Exception {
        Path file = capture(TestFrames.arpRequest(), TestFrames.icmpEchoRequest());
        String fields = run("-r", file.toString(), "-o", CHECK_IP_CHECKSUMS, "-T", "fields", "-E", "separator=,",
                "-e", "frame.protocols", "-e", "eth.src", "-e", "arp.opcode", "-e", "arp.dst.proto_ipv4",
                "-e", "ip.dst", "-e", "icmp.type", "-e", "ip.checksum.status", "-e", "icmp.checksum.status");
        // Checksum status 1 is Wireshark's PROTO_CHECKSUM_E_GOOD.
        assertEquals(List.of(
                "eth:ethertype:arp,02:00:00:00:00:0a,1,10.0.0.2,,,,",
                "eth:ethertype:ip:icmp:data,02:00:00:00:00:0a,,,10.0.0.2,8,1,1"),
                List.of(fields.strip().split("\n")));
    }

    @Test
    void tsharkFindsNoMalformedPacketOrBadChecksum() throws Exception {
        Path file = capture(TestFrames.arpRequest(), TestFrames.icmpEchoRequest());
        assertEquals(List.of(), problems(file));
    }

    @Test
    void problemCheckDoesCatchABadIpv4Checksum() throws Exception {
        byte[] corrupted = TestFrames.icmpEchoRequest();
        corrupted[TestFrames.IPV4_CHECKSUM_OFFSET] ^= 0x10;
        List<String> problems = problems(capture(corrupted));
        assertFalse(problems.isEmpty(), "a bad IPv4 checksum went unnoticed");
    }
}
