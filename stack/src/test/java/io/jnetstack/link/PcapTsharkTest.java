package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.testing.Tshark;
import io.jnetstack.time.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wireshark's tshark, an independent decoder, must read our captures without complaint. */
class PcapTsharkTest {
    private static Tshark tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        tshark = Tshark.require();
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

    @Test
    void tsharkDecodesArpAndIcmpEchoFrames() throws Exception {
        Path file = capture(TestFrames.arpRequest(), TestFrames.icmpEchoRequest());
        String fields = tshark.run("-r", file.toString(), "-o", Tshark.CHECK_IP_CHECKSUMS, "-T", "fields", "-E", "separator=,",
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
        assertEquals(List.of(), tshark.problems(file));
    }

    @Test
    void problemCheckDoesCatchABadIpv4Checksum() throws Exception {
        byte[] corrupted = TestFrames.icmpEchoRequest();
        corrupted[TestFrames.IPV4_CHECKSUM_OFFSET] ^= 0x10;
        List<String> problems = tshark.problems(capture(corrupted));
        assertFalse(problems.isEmpty(), "a bad IPv4 checksum went unnoticed");
    }

    @Test
    void hexThatSpellsBadIsNoProblem() throws Exception {
        // Wireshark prints "Identification: 0xbad0" and "Data: 0badbad0": values, not verdicts.
        byte[] frame = TestFrames.icmpEchoRequest(new byte[] {0x0b, (byte) 0xad, (byte) 0xba, (byte) 0xd0}, (short) 0xbad0);
        assertEquals(List.of(), tshark.problems(capture(frame)));
    }

    @Test
    void problemCheckDoesCatchAnExpertWarning() throws Exception {
        // A zero window is one of the Warnings (tshark 4.0 heads the section "Warns") of Wireshark's TCP analysis.
        List<String> problems = tshark.problems(capture(TestFrames.tcpAck(0)));
        assertEquals(1, problems.size(), () -> "problems: " + problems);
        assertTrue(problems.get(0).contains("Zero Window"), () -> "problems: " + problems);
    }
}
