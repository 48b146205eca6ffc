package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.TestFrames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed kernel vectors (stack's test resources, /vectors) parse and have valid checksums. */
class KernelVectorsTest {
    private static byte[] load(String name) throws IOException {
        try (InputStream in = KernelVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
            assertNotNull(in, "vector /vectors/" + name + " is on the test class path (stack's test-jar)");
            return TestFrames.fromHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel-icmp-echo-request.hex", "kernel-icmp-echo-reply.hex", "kernel-udp.hex", "kernel-tcp-syn.hex"})
    void ipv4VectorsHaveValidChecksumsAndTheNamespaceAddresses(String name) throws IOException {
        byte[] frame = load(name);
        assertTrue(TestFrames.isIpv4(frame));
        assertEquals(frame.length, TestFrames.ETHERNET_HEADER + TestFrames.ipTotalLength(frame), "no padding, no truncation");
        assertEquals(KernelPeer.KERNEL_ADDRESS, TestFrames.ipSource(frame));
        assertEquals(KernelPeer.STACK_ADDRESS, TestFrames.ipDestination(frame));
        assertTrue(TestFrames.ipv4HeaderChecksumValid(frame), "IPv4 header checksum");
        assertTrue(TestFrames.transportChecksumValid(frame), "transport checksum");
    }

    @Test
    void arpVectorsAreARequestAndAReplyFromTheKernel() throws IOException {
        byte[] request = load("kernel-arp-request.hex");
        byte[] reply = load("kernel-arp-reply.hex");
        assertTrue(TestFrames.arpRequestFor(KernelPeer.STACK_ADDRESS).test(request));
        assertTrue(TestFrames.arpReplyFrom(KernelPeer.KERNEL_ADDRESS).test(reply));
    }

    @Test
    void tcpSynVectorIsASynWithOptions() throws IOException {
        byte[] syn = load("kernel-tcp-syn.hex");
        assertTrue(TestFrames.tcpSynTo(KernelPeer.STACK_ADDRESS, 7).test(syn));
        int dataOffsetWords = (syn[TestFrames.transportOffset(syn) + 12] & 0xf0) >>> 4;
        assertTrue(dataOffsetWords > 5, "the kernel's SYN carries options");
    }

    @Test
    void checksumOfACorruptedVectorIsInvalid() throws IOException {
        byte[] udp = load("kernel-udp.hex");
        udp[udp.length - 1] ^= 0x01;
        assertTrue(TestFrames.ipv4HeaderChecksumValid(udp));
        assertFalse(TestFrames.transportChecksumValid(udp), "a flipped payload bit breaks the UDP checksum");
    }
}
