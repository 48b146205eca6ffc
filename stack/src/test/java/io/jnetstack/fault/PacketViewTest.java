package io.jnetstack.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.LinkType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What a fault rule sees of a frame, and frames it must not mistake for what they announce. */
class PacketViewTest {
    private static final IpAddress V4_SOURCE = IpAddress.parse("10.0.0.1");
    private static final IpAddress V4_DESTINATION = IpAddress.parse("10.0.0.2");
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int TCP = 20;

    /** A buffer of {@code capacity} bytes starting with Ethernet and IPv4 headers (no options) announcing {@code totalLength}. */
    private static ByteBuffer ipv4(int etherType, int protocol, int totalLength, int flagsAndOffset, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        b.put(new byte[12]).putShort((short) etherType);
        b.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) 7).putShort((short) flagsAndOffset)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(V4_SOURCE.toByteArray()).put(V4_DESTINATION.toByteArray());
        return b;
    }

    private static void tcpHeader(ByteBuffer b, int dataOffsetWords) {
        b.putShort((short) 40000).putShort((short) 80).putInt(1111).putInt(2222)
                .put((byte) (dataOffsetWords << 4)).put((byte) (TcpHeader.ACK | TcpHeader.PSH)).putShort((short) 500).putInt(0);
    }

    @Test
    void aTcpSegmentWithItsPayloadInASliceIsReadWithoutChangingTheFrame() {
        ByteBuffer headers = ipv4(0x0800, 6, IPV4 + TCP + 30, 0, ETHERNET + IPV4 + TCP);
        tcpHeader(headers, 5);
        byte[] front = headers.array();
        PacketBuffer frame = PacketBuffer.wrap(front, 0, front.length);
        frame.appendSlice(new byte[30], 0, 30);

        PacketView v = PacketView.of(frame, LinkType.ETHERNET);

        assertTrue(v.isTcp());
        assertEquals(4, v.version());
        assertEquals(V4_SOURCE, v.source());
        assertEquals(V4_DESTINATION, v.destination());
        assertEquals(40000, v.sourcePort());
        assertEquals(80, v.destinationPort());
        assertEquals(1111, v.seq());
        assertEquals(2222, v.ack());
        assertEquals(TcpHeader.ACK | TcpHeader.PSH, v.tcpFlags());
        assertEquals(ETHERNET + IPV4, v.transportOffset());
        assertEquals(30, v.payloadLength());
        assertSame(front, frame.array(), "the frame keeps its arrays");
        assertEquals(front.length, frame.frontLength());
        assertEquals(front.length + 30, frame.length());
    }

    @Test
    void ethernetPaddingIsNotTcpPayload() {
        ByteBuffer b = ipv4(0x0800, 6, IPV4 + TCP, 0, 60); // a bare ACK padded to Ethernet's 60-byte minimum
        tcpHeader(b, 5);

        PacketView v = PacketView.of(PacketBuffer.wrap(b.array(), 0, 60), LinkType.ETHERNET);

        assertTrue(v.isTcp());
        assertEquals(0, v.payloadLength());
    }

    @Test
    void aLaterFragmentIsIpWithoutPorts() {
        ByteBuffer b = ipv4(0x0800, 6, IPV4 + TCP, 185, ETHERNET + IPV4 + TCP); // offset 1480 bytes
        tcpHeader(b, 5);

        PacketView v = PacketView.of(PacketBuffer.wrap(b.array(), 0, b.capacity()), LinkType.ETHERNET);

        assertTrue(v.isIp());
        assertFalse(v.isTcp());
        assertEquals(-1, v.sourcePort());
        assertEquals(-1, v.transportOffset());
    }

    @Test
    void aPacketShorterThanItsTotalLengthIsNotIp() {
        ByteBuffer b = ipv4(0x0800, 6, IPV4 + TCP + 100, 0, ETHERNET + IPV4 + TCP);
        tcpHeader(b, 5);

        PacketView v = PacketView.of(PacketBuffer.wrap(b.array(), 0, b.capacity()), LinkType.ETHERNET);

        assertFalse(v.isIp());
        assertFalse(v.isTcp());
    }

    @Test
    void aTcpHeaderLongerThanItsSegmentLeavesPortsUnknown() {
        ByteBuffer b = ipv4(0x0800, 6, IPV4 + TCP, 0, ETHERNET + IPV4 + TCP);
        tcpHeader(b, 15); // 60 bytes of header in a 20-byte segment

        PacketView v = PacketView.of(PacketBuffer.wrap(b.array(), 0, b.capacity()), LinkType.ETHERNET);

        assertTrue(v.isIp());
        assertFalse(v.isTcp());
        assertEquals(-1, v.sourcePort());
        assertEquals(-1, v.destinationPort());
    }

    @Test
    void anIpv6UdpDatagramShowsItsAddressesAndPorts() {
        IpAddress source = IpAddress.parse("fd00::1");
        IpAddress destination = IpAddress.parse("fd00::2");
        ByteBuffer b = ByteBuffer.allocate(ETHERNET + 40 + 8 + 4);
        b.put(new byte[12]).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 12).put((byte) 17).put((byte) 64).put(source.toByteArray()).put(destination.toByteArray());
        b.putShort((short) 5353).putShort((short) 53).putShort((short) 12).putShort((short) 0).putInt(0);

        PacketView v = PacketView.of(PacketBuffer.wrap(b.array(), 0, b.capacity()), LinkType.ETHERNET);

        assertTrue(v.isUdp());
        assertEquals(6, v.version());
        assertEquals(source, v.source());
        assertEquals(destination, v.destination());
        assertEquals(5353, v.sourcePort());
        assertEquals(53, v.destinationPort());
    }

    @Test
    void anArpFrameIsNotIp() {
        byte[] arp = ipv4(0x0806, 6, IPV4, 0, ETHERNET + 28).array();
        byte[] before = arp.clone();

        PacketView v = PacketView.of(PacketBuffer.wrap(arp, 0, arp.length), LinkType.ETHERNET);

        assertFalse(v.isIp());
        assertEquals(0, v.version());
        assertArrayEquals(before, arp);
        assertEquals(-1, v.sourcePort());
    }
}
