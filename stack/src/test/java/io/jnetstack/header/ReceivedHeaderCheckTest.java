package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each header's factory accepts from received bytes: the wire format's lengths are checked
 * once, a malformed header is null, and an accepted view reads contiguous bytes even when the
 * header arrived split over the packet's slices.
 */
class ReceivedHeaderCheckTest {
    private static final int VERSION_IHL = 0;
    private static final int TOTAL_LENGTH = 2;
    private static final int DATA_OFFSET = 12;
    private static final int UDP_LENGTH = 4;

    /** The kernel's datagram from its IPv4 header on, in an array of its own. */
    private static byte[] datagram(String name) {
        byte[] frame = VethFrames.frame(name);
        return Arrays.copyOfRange(frame, VethFrames.IP_AT, frame.length);
    }

    /** A packet whose first {@code frontLength} bytes are its front and the rest one slice, in separate arrays. */
    private static PacketBuffer split(byte[] bytes, int frontLength) {
        PacketBuffer p = PacketBuffer.wrap(Arrays.copyOf(bytes, frontLength), 0, frontLength);
        p.appendSlice(Arrays.copyOfRange(bytes, frontLength, bytes.length), 0, bytes.length - frontLength);
        return p;
    }

    private static PacketBuffer whole(byte[] bytes) {
        return PacketBuffer.wrap(bytes, 0, bytes.length);
    }

    private static void put16(byte[] a, int at, int value) {
        a[at] = (byte) (value >>> 8);
        a[at + 1] = (byte) value;
    }

    @Test
    void ipv4AcceptsTheKernelsDatagramAndLinkPadding() {
        byte[] padded = Arrays.copyOf(datagram("udp-datagram"), 64);
        Ipv4Header ip = Ipv4Header.of(whole(padded));
        assertNotNull(ip);
        assertEquals(34, ip.totalLength()); // 20 + 8 + 6: the padding is the caller's to cut
    }

    @ParameterizedTest
    @ValueSource(ints = {0x65, 0x44, 0x4f}) // version 6; IHL 4 (shorter than a header); IHL 15 (past the packet)
    void ipv4RefusesAVersionOrHeaderLengthThatIsNotAnIpv4Header(int versionIhl) {
        byte[] d = datagram("udp-datagram");
        d[VERSION_IHL] = (byte) versionIhl;
        assertNull(Ipv4Header.of(whole(d)));
    }

    @ParameterizedTest
    @ValueSource(ints = {19, 35}) // shorter than its own header; longer than the 34 bytes that arrived
    void ipv4RefusesATotalLengthThatDoesNotFit(int totalLength) {
        byte[] d = datagram("udp-datagram");
        put16(d, TOTAL_LENGTH, totalLength);
        assertNull(Ipv4Header.of(whole(d)));
    }

    @Test
    void ipv4RefusesFewerBytesThanAHeader() {
        assertNull(Ipv4Header.of(whole(Arrays.copyOf(datagram("udp-datagram"), 19))));
    }

    @Test
    void ipv4MakesAHeaderWithOptionsSplitOverSlicesContiguous() {
        byte[] d = datagram("udp-datagram");
        // Insert one word of options (four NOPs) after the fixed header: IHL 6, total length + 4.
        byte[] withOptions = new byte[d.length + 4];
        System.arraycopy(d, 0, withOptions, 0, 20);
        Arrays.fill(withOptions, 20, 24, (byte) 1);
        System.arraycopy(d, 20, withOptions, 24, d.length - 20);
        withOptions[VERSION_IHL] = 0x46;
        put16(withOptions, TOTAL_LENGTH, withOptions.length);
        Ipv4Header writer = new Ipv4Header(withOptions, 0);
        writer.updateChecksum();

        PacketBuffer p = split(withOptions, 20); // the options lie in the slice
        Ipv4Header ip = Ipv4Header.of(p);
        assertNotNull(ip);
        assertEquals(24, ip.headerLength());
        assertTrue(ip.isChecksumValid(), "the view reads all 24 header bytes from the flattened front");
        assertTrue(p.frontLength() >= 24);
        assertEquals(VethFrames.IP_1, ip.source());
    }

    @Test
    void ipv4QuotedAcceptsAHeaderAndEightBytesOfALongerDatagram() {
        byte[] d = datagram("ipv4-fragment-1"); // total length 1500
        assertNotNull(Ipv4Header.ofQuoted(whole(Arrays.copyOf(d, 28))));
        assertNull(Ipv4Header.ofQuoted(whole(Arrays.copyOf(d, 27))));
        assertNull(Ipv4Header.of(whole(Arrays.copyOf(d, 28))), "a received datagram must hold its total length");
    }

    @Test
    void tcpAcceptsTheKernelsSynWithOptionsSplitOverSlices() {
        byte[] d = datagram("tcp-syn");
        byte[] segment = Arrays.copyOfRange(d, 20, d.length);
        TcpHeader h = TcpHeader.of(split(segment, TcpHeader.MIN_LENGTH + 3));
        assertNotNull(h);
        assertEquals(40, h.headerLength());
        assertEquals(1460, h.options().mss());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 11}) // shorter than the fixed header; 44 bytes, past the 40-byte segment
    void tcpRefusesADataOffsetThatDoesNotFit(int words) {
        byte[] d = datagram("tcp-syn");
        byte[] segment = Arrays.copyOfRange(d, 20, d.length);
        segment[DATA_OFFSET] = (byte) (words << 4);
        assertNull(TcpHeader.of(whole(segment)));
    }

    @Test
    void tcpQuotedNeedsPortsAndSequenceNumberOnly() {
        byte[] d = datagram("tcp-syn");
        TcpHeader quoted = TcpHeader.ofQuoted(whole(Arrays.copyOfRange(d, 20, 28)));
        assertNotNull(quoted);
        assertEquals(6000, quoted.destinationPort());
        assertNull(TcpHeader.ofQuoted(whole(Arrays.copyOfRange(d, 20, 27))));
        assertNull(TcpHeader.of(whole(Arrays.copyOfRange(d, 20, 39))));
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 15}) // shorter than the header; longer than the 14 bytes that arrived
    void udpRefusesALengthThatDoesNotFit(int length) {
        byte[] d = datagram("udp-datagram");
        byte[] datagram = Arrays.copyOfRange(d, 20, d.length);
        put16(datagram, UDP_LENGTH, length);
        assertNull(UdpHeader.of(whole(datagram)));
        assertNotNull(UdpHeader.ofQuoted(whole(datagram)), "a quote is read for its ports only");
    }

    @Test
    void shortPacketsAreRefusedByEveryFixedLengthHeader() {
        byte[] bytes = new byte[64];
        assertNull(EthernetHeader.of(PacketBuffer.wrap(bytes, 0, EthernetHeader.LENGTH - 1)));
        assertNull(Icmpv4Header.of(PacketBuffer.wrap(bytes, 0, Icmpv4Header.LENGTH - 1)));
        assertNull(UdpHeader.of(PacketBuffer.wrap(bytes, 0, UdpHeader.LENGTH - 1)));
        assertNull(UdpHeader.ofQuoted(PacketBuffer.wrap(bytes, 0, UdpHeader.LENGTH - 1)));
        assertNull(TcpHeader.of(PacketBuffer.wrap(bytes, 0, TcpHeader.MIN_LENGTH - 1)));
        assertNotNull(EthernetHeader.of(PacketBuffer.wrap(bytes, 0, EthernetHeader.LENGTH)));
        assertNotNull(Icmpv4Header.of(PacketBuffer.wrap(bytes, 0, Icmpv4Header.LENGTH)));
    }
}
