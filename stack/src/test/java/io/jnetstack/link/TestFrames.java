package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
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
        return icmpEchoRequest("jnetstack".getBytes(java.nio.charset.StandardCharsets.US_ASCII), (short) 0x1234);
    }

    /** An ICMP echo request from A to B carrying {@code data}, with IPv4 identification {@code identification}. */
    static byte[] icmpEchoRequest(byte[] data, short identification) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + data.length);
        icmp.put((byte) 8).put((byte) 0); // echo request, code 0
        icmp.putShort((short) 0); // checksum, filled below
        icmp.putShort((short) 0x4a53).putShort((short) 1); // identifier, sequence
        icmp.put(data);
        icmp.putShort(2, (short) internetChecksum(icmp.array(), 0, icmp.capacity()));
        return ipv4Frame(1, identification, icmp.array());
    }

    /** A bare TCP ACK (RFC 9293) from A:40000 to B:5001 advertising {@code window}, checksums correct. */
    static byte[] tcpAck(int window) {
        ByteBuffer tcp = ByteBuffer.allocate(20);
        tcp.putShort((short) 40000).putShort((short) 5001);
        tcp.putInt(1).putInt(1); // sequence and acknowledgment numbers
        tcp.put((byte) (5 << 4)).put((byte) 0x10); // data offset 5 words; ACK
        tcp.putShort((short) window);
        tcp.putShort((short) 0).putShort((short) 0); // checksum (filled below), urgent pointer
        ByteBuffer pseudoHeader = ByteBuffer.allocate(12 + tcp.capacity());
        pseudoHeader.put(IP_A).put(IP_B).put((byte) 0).put((byte) 6).putShort((short) tcp.capacity()).put(tcp.array());
        tcp.putShort(16, (short) internetChecksum(pseudoHeader.array(), 0, pseudoHeader.capacity()));
        return ipv4Frame(6, (short) 0x1234, tcp.array());
    }

    /** {@code payload} in IPv4 from A to B (don't fragment, TTL 64, header checksum correct) in Ethernet. */
    private static byte[] ipv4Frame(int protocol, short identification, byte[] payload) {
        ByteBuffer b = ethernetHeader(MAC_B, MAC_A, 0x0800, IPV4_HEADER + payload.length);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0); // version 4, IHL 5; DSCP/ECN 0
        b.putShort((short) (IPV4_HEADER + payload.length));
        b.putShort(identification);
        b.putShort((short) 0x4000); // don't fragment
        b.put((byte) 64).put((byte) protocol); // TTL
        b.putShort((short) 0); // checksum, filled below
        b.put(IP_A).put(IP_B);
        b.putShort(ip + 10, (short) internetChecksum(b.array(), ip, IPV4_HEADER));
        b.put(payload);
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
