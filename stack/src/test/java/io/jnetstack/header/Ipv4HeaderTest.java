package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv4 headers read from and written as the kernel's. */
class Ipv4HeaderTest {
    @Test
    void readsTheKernelsEchoRequestHeader() {
        Ipv4Header ip = VethFrames.ipv4(VethFrames.frame("icmp-echo-request"));
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.tos());
        assertEquals(84, ip.totalLength());
        assertEquals(0x3ba3, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Header.PROTOCOL_ICMP, ip.protocol());
        assertEquals(0x68de, ip.checksum());
        assertEquals(VethFrames.IP_1, ip.source());
        assertEquals(VethFrames.IP_2, ip.destination());
    }

    @Test
    void readsTheTosOfTheKernelsIcmpError() {
        // Linux sends ICMP errors with TOS 0xc0 (precedence "internetwork control").
        assertEquals(0xc0, VethFrames.ipv4(VethFrames.frame("icmp-port-unreachable")).tos());
    }

    @Test
    void readsAMiddleFragment() {
        Ipv4Header ip = VethFrames.ipv4(VethFrames.frame("ipv4-fragment-2"));
        assertTrue(ip.moreFragments());
        assertFalse(ip.dontFragment());
        assertEquals(1480, ip.fragmentOffset());
        assertTrue(ip.isFragment());
    }

    @Test
    void readsALastFragment() {
        Ipv4Header ip = VethFrames.ipv4(VethFrames.frame("ipv4-fragment-3"));
        assertFalse(ip.moreFragments());
        assertEquals(2960, ip.fragmentOffset());
        assertTrue(ip.isFragment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp-echo-request", "icmp-echo-reply", "udp-datagram", "icmp-port-unreachable",
            "tcp-syn", "tcp-syn-ack", "tcp-data", "ipv4-fragment-1", "ipv4-fragment-2", "ipv4-fragment-3"})
    void kernelHeaderChecksumsVerify(String name) {
        assertTrue(VethFrames.ipv4(VethFrames.frame(name)).isChecksumValid());
    }

    @Test
    void aFlippedBitFailsTheChecksum() {
        byte[] frame = VethFrames.frame("udp-datagram");
        frame[VethFrames.IP_AT + 8] ^= 1;
        assertFalse(VethFrames.ipv4(frame).isChecksumValid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp-echo-request", "icmp-port-unreachable", "tcp-syn-ack", "ipv4-fragment-2"})
    void encodingTheParsedFieldsWritesTheKernelsBytes(String name) {
        byte[] frame = VethFrames.frame(name);
        byte[] out = new byte[Ipv4Header.MIN_LENGTH];
        new Ipv4Header(out, 0).encode(VethFrames.ipv4(frame).fields());
        assertArrayEquals(Arrays.copyOfRange(frame, VethFrames.IP_AT, VethFrames.TRANSPORT_AT), out);
    }

    @Test
    void setFragmentThenUpdateChecksumWritesTheKernelsFragmentHeader() {
        byte[] first = VethFrames.frame("ipv4-fragment-1");
        byte[] second = VethFrames.frame("ipv4-fragment-2");
        Ipv4Header ip = VethFrames.ipv4(first);
        ip.setFragment(false, true, 1480);
        ip.updateChecksum();
        assertArrayEquals(Arrays.copyOfRange(second, VethFrames.IP_AT, VethFrames.TRANSPORT_AT),
                Arrays.copyOfRange(first, VethFrames.IP_AT, VethFrames.TRANSPORT_AT));
    }
}
