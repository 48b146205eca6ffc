package io.jnetstack.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.LinkType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slices and resets built from a TCP segment, checked field by field, checksums included, for IPv4 and IPv6. */
class TcpFramesTest {
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 1};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 2};
    private static final int SEQ = 0xfffffff0; // the slices' sequence numbers wrap
    private static final int ACK = 12345;
    private static final int OPTIONS = 12;

    /** An Ethernet frame with a TCP segment from {@code src}:1000 to {@code dst}:80, with 12 bytes of options. */
    private static PacketBuffer segment(IpAddress src, IpAddress dst, byte[] payload, int flags) {
        boolean v4 = src.isV4();
        int ipHeader = v4 ? 20 : 40;
        int tcpLength = 20 + OPTIONS + payload.length;
        ByteBuffer b = ByteBuffer.allocate(14 + ipHeader + tcpLength);
        b.put(MAC_B).put(MAC_A).putShort((short) (v4 ? 0x0800 : 0x86dd));
        if (v4) {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (ipHeader + tcpLength)).putInt(0)
                    .put((byte) 64).put((byte) 6).putShort((short) 0).put(src.toByteArray()).put(dst.toByteArray());
        } else {
            b.putInt(0x60000000).putShort((short) tcpLength).put((byte) 6).put((byte) 64)
                    .put(src.toByteArray()).put(dst.toByteArray());
        }
        int tcp = b.position();
        b.putShort((short) 1000).putShort((short) 80).putInt(SEQ).putInt(ACK)
                .put((byte) (((20 + OPTIONS) / 4) << 4)).put((byte) flags).putShort((short) 500).putInt(0);
        b.put(new byte[] {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9}).put(payload);
        byte[] f = b.array();
        if (v4) {
            ByteBuffer.wrap(f).putShort(14 + 10, (short) Checksum.finish(Checksum.add(0, f, 14, 20)));
        }
        ByteBuffer.wrap(f).putShort(tcp + 16, (short) Checksum.finish(Checksum.add(pseudoHeader(f, v4, tcpLength), f, tcp, tcpLength)));
        return PacketBuffer.wrap(f, 0, f.length);
    }

    private static int pseudoHeader(byte[] f, boolean v4, int tcpLength) {
        int sum = v4 ? Checksum.add(0, f, 14 + 12, 8) : Checksum.add(0, f, 14 + 8, 32);
        return Checksum.add16(Checksum.add16(sum, 6), tcpLength);
    }

    private static void assertChecksumsValid(PacketBuffer frame) {
        byte[] f = frame.toByteArray();
        PacketView v = PacketView.of(frame, LinkType.ETHERNET);
        boolean v4 = v.version() == 4;
        if (v4) {
            assertTrue(Checksum.verifies(Checksum.add(0, f, 14, 20)), "IPv4 header checksum");
        }
        int tcpLength = f.length - v.transportOffset();
        assertTrue(Checksum.verifies(Checksum.add(pseudoHeader(f, v4, tcpLength), f, v.transportOffset(), tcpLength)),
                "TCP checksum");
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    private static void checkSlices(IpAddress src, IpAddress dst) {
        byte[] payload = payload(250);
        PacketView original = PacketView.of(segment(src, dst, payload, TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN),
                LinkType.ETHERNET);
        List<PacketBuffer> slices = TcpFrames.slice(original, 100);
        assertEquals(3, slices.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < slices.size(); i++) {
            PacketView s = PacketView.of(slices.get(i), LinkType.ETHERNET);
            assertTrue(s.isTcp());
            assertEquals(i < 2 ? 100 : 50, s.payloadLength());
            assertEquals(SEQ + 100 * i, s.seq());
            assertEquals(ACK, s.ack());
            assertEquals(20 + OPTIONS, s.tcpHeaderLength(), "options kept");
            int lastOnly = TcpHeader.PSH | TcpHeader.FIN;
            assertEquals(i == 2 ? TcpHeader.ACK | lastOnly : TcpHeader.ACK, s.tcpFlags());
            assertEquals(src, s.source());
            assertEquals(dst, s.destination());
            assertChecksumsValid(slices.get(i));
            byte[] f = slices.get(i).toByteArray();
            joined.write(f, s.transportOffset() + s.tcpHeaderLength(), s.payloadLength());
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    @Test
    void slicesOfAnIpv4SegmentCarryItsPayloadInOrderWithValidHeaders() {
        checkSlices(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"));
    }

    @Test
    void slicesOfAnIpv6SegmentCarryItsPayloadInOrderWithValidHeaders() {
        checkSlices(IpAddress.parse("fd00::1"), IpAddress.parse("fd00::2"));
    }

    private static void checkResets(IpAddress src, IpAddress dst) {
        PacketBuffer frame = segment(src, dst, payload(10), TcpHeader.ACK);
        PacketView original = PacketView.of(frame, LinkType.ETHERNET);

        PacketBuffer toSource = TcpFrames.reset(original, LinkType.ETHERNET, true, ACK, 0, TcpHeader.RST);
        PacketView back = PacketView.of(toSource, LinkType.ETHERNET);
        assertEquals(dst, back.source());
        assertEquals(src, back.destination());
        assertEquals(80, back.sourcePort());
        assertEquals(1000, back.destinationPort());
        assertEquals(ACK, back.seq());
        assertEquals(TcpHeader.RST, back.tcpFlags());
        assertEquals(0, back.payloadLength());
        assertArrayEquals(MAC_A, java.util.Arrays.copyOfRange(toSource.toByteArray(), 0, 6), "to the source's MAC");
        assertChecksumsValid(toSource);

        PacketBuffer onward = TcpFrames.reset(original, LinkType.ETHERNET, false, SEQ, 0, TcpHeader.RST);
        PacketView forth = PacketView.of(onward, LinkType.ETHERNET);
        assertEquals(src, forth.source());
        assertEquals(1000, forth.sourcePort());
        assertEquals(SEQ, forth.seq());
        assertArrayEquals(MAC_B, java.util.Arrays.copyOfRange(onward.toByteArray(), 0, 6), "to the destination's MAC");
        assertChecksumsValid(onward);
    }

    @Test
    void resetsOfAnIpv4ConnectionGoEitherWayWithValidHeaders() {
        checkResets(IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2"));
    }

    @Test
    void resetsOfAnIpv6ConnectionGoEitherWayWithValidHeaders() {
        checkResets(IpAddress.parse("fd00::1"), IpAddress.parse("fd00::2"));
    }
}
