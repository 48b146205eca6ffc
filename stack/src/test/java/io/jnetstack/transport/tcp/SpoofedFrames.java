package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;

/**
 * Hand-built Ethernet+IPv4 frames from hosts that do not exist, as an attacker on the link writes
 * them: TCP segments (SYN floods, stray ACKs) and ICMP errors. Checksums are correct, so the stack
 * under test must refuse them on their merits.
 */
final class SpoofedFrames {
    /** A spoofing host's hardware address; any unicast address will do. */
    static final LinkAddress SPOOFED_MAC = LinkAddress.parse("02:00:00:00:00:66");

    private SpoofedFrames() {
    }

    /** A SYN with an MSS option of 1460 from {@code source:sourcePort} to {@code destination:port}. */
    static PacketBuffer syn(IpAddress source, int sourcePort, int isn, LinkAddress destinationMac,
            IpAddress destination, int port) {
        TcpOptions options = new TcpOptions(1460, -1, false, false, 0, 0, new int[0]);
        return tcp(source, sourcePort, destinationMac, destination, port, isn, 0, TcpHeader.SYN, options);
    }

    /** A TCP segment without payload; {@code options} may be null. */
    static PacketBuffer tcp(IpAddress source, int sourcePort, LinkAddress destinationMac, IpAddress destination,
            int port, int seq, int ack, int flags, TcpOptions options) {
        int tcpLength = TcpHeader.MIN_LENGTH + (options == null ? 0 : options.encodedLength());
        PacketBuffer p = ipv4(source, destinationMac, destination, Ipv4Header.PROTOCOL_TCP, tcpLength);
        byte[] a = p.array();
        int tcpAt = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        TcpHeader tcp = new TcpHeader(a, tcpAt);
        tcp.encode(sourcePort, port, seq, ack, flags, 64240, tcpLength);
        if (options != null) {
            options.encode(a, tcpAt + TcpHeader.MIN_LENGTH);
        }
        int sum = Checksum.ipv4PseudoHeader(source.toInt(), destination.toInt(), Ipv4Header.PROTOCOL_TCP, tcpLength);
        tcp.setChecksum(Checksum.finish(Checksum.add(sum, a, tcpAt, tcpLength)));
        return p;
    }

    /**
     * An ICMP "fragmentation needed and DF set" (RFC 1191 §4) from router {@code reporter}, saying
     * that the next hop's MTU is {@code mtu}, about {@code quotedDatagram} (an IPv4 datagram that
     * {@code destination} sent; its IP header and at least 8 bytes of what follows are quoted).
     */
    static PacketBuffer fragmentationNeeded(IpAddress reporter, LinkAddress destinationMac, IpAddress destination,
            int mtu, byte[] quotedDatagram) {
        int icmpLength = Icmpv4Header.LENGTH + quotedDatagram.length;
        PacketBuffer p = ipv4(reporter, destinationMac, destination, Ipv4Header.PROTOCOL_ICMP, icmpLength);
        byte[] a = p.array();
        int icmpAt = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        Icmpv4Header icmp = new Icmpv4Header(a, icmpAt);
        icmp.encode(Icmpv4Header.TYPE_DESTINATION_UNREACHABLE, Icmpv4Header.CODE_FRAGMENTATION_NEEDED, mtu & 0xffff);
        System.arraycopy(quotedDatagram, 0, a, icmpAt + Icmpv4Header.LENGTH, quotedDatagram.length);
        icmp.setChecksum(Checksum.finish(Checksum.add(0, a, icmpAt, icmpLength)));
        return p;
    }

    /** A frame with Ethernet and IPv4 headers filled in and {@code payloadLength} bytes left for the caller. */
    private static PacketBuffer ipv4(IpAddress source, LinkAddress destinationMac, IpAddress destination, int protocol,
            int payloadLength) {
        int ipLength = Ipv4Header.MIN_LENGTH + payloadLength;
        PacketBuffer p = PacketBuffer.allocate(0, EthernetHeader.LENGTH + ipLength);
        byte[] a = p.array();
        new EthernetHeader(a, 0).encode(SPOOFED_MAC, destinationMac, EthernetHeader.TYPE_IPV4);
        new Ipv4Header(a, EthernetHeader.LENGTH).encode(
                Ipv4Fields.of(source.toInt(), destination.toInt(), protocol, 64, 1, ipLength, true));
        return p;
    }
}
