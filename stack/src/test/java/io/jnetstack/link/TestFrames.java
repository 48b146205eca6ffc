package io.jnetstack.link;

import io.jnetstack.header.Checksum;
import java.nio.ByteBuffer;

/** Hand-built, valid Ethernet frames for tests that need real protocol bytes (e.g. for tshark). */
final class TestFrames {
    static final LinkAddress MAC_A = LinkAddress.parse("02:00:00:00:00:0a");
    static final LinkAddress MAC_B = LinkAddress.parse("02:00:00:00:00:0b");
    static final byte[] IP_A = {10, 0, 0, 1};
    static final byte[] IP_B = {10, 0, 0, 2};

    static final int ETHERNET_HEADER = 14;
    static final int IPV4_HEADER = 20;
    /** Offset of the IPv4 header checksum within an Ethernet frame. */
    static final int IPV4_CHECKSUM_OFFSET = ETHERNET_HEADER + 10;

    private TestFrames() {
    }

    /** An ARP request (RFC 826): who has {@link #IP_B}? tell {@link #IP_A}, broadcast from {@link #MAC_A}. */
    static byte[] arpRequest() {
        ByteBuffer b = ethernetHeader(LinkAddress.BROADCAST, MAC_A, 0x0806, 28);
        b.putShort((short) 1); // hardware type: Ethernet
        b.putShort((short) 0x0800); // protocol type: IPv4
        b.put((byte) 6).put((byte) 4);
        b.putShort((short) 1); // request
        b.put(MAC_A.toByteArray()).put(IP_A);
        b.put(new byte[6]).put(IP_B);
        return b.array();
    }

    /** An ICMP echo request (RFC 792) from A to B inside IPv4 (RFC 791), both checksums correct. */
    static byte[] icmpEchoRequest() {
        byte[] data = "jnetstack".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int icmpLength = 8 + data.length;
        ByteBuffer b = ethernetHeader(MAC_B, MAC_A, 0x0800, IPV4_HEADER + icmpLength);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0); // version 4, IHL 5; DSCP/ECN 0
        b.putShort((short) (IPV4_HEADER + icmpLength));
        b.putShort((short) 0x1234); // identification
        b.putShort((short) 0x4000); // don't fragment
        b.put((byte) 64).put((byte) 1); // TTL, protocol ICMP
        b.putShort((short) 0); // checksum, filled below
        b.put(IP_A).put(IP_B);
        b.putShort(ip + 10, (short) internetChecksum(b.array(), ip, IPV4_HEADER));
        int icmp = b.position();
        b.put((byte) 8).put((byte) 0); // echo request, code 0
        b.putShort((short) 0); // checksum, filled below
        b.putShort((short) 0x4a53).putShort((short) 1); // identifier, sequence
        b.put(data);
        b.putShort(icmp + 2, (short) internetChecksum(b.array(), icmp, icmpLength));
        return b.array();
    }

    private static ByteBuffer ethernetHeader(LinkAddress dst, LinkAddress src, int etherType, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(ETHERNET_HEADER + payloadLength);
        b.put(dst.toByteArray()).put(src.toByteArray()).putShort((short) etherType);
        return b;
    }

    /** The RFC 1071 Internet checksum of {@code data[off..off+len)}: 0 over a range that includes its correct checksum. */
    static int internetChecksum(byte[] data, int off, int len) {
        return Checksum.finish(Checksum.add(0, data, off, len));
    }
}
