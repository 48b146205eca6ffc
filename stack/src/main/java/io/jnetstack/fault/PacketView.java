package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.UdpHeader;
import io.jnetstack.link.LinkType;

/**
 * What a fault rule looks at in a frame: the IP version, transport protocol, addresses and ports,
 * and for TCP its flags, sequence numbers and payload. Read without copying the frame; a frame
 * that is not IP, or too short for the headers it announces, is {@link #isIp() not IP} and only
 * rules that ask for nothing but "any packet" match it.
 */
public final class PacketView {
    private final PacketBuffer frame;
    private final int ipOffset;
    private boolean ip;
    private int version;
    private int protocol;
    private IpAddress source;
    private IpAddress destination;
    /** Offset of the transport header in the frame, -1 for a non-first fragment. */
    private int transportOffset = -1;
    private int sourcePort = -1;
    private int destinationPort = -1;
    // TCP only: header length, flags, sequence and acknowledgement numbers, payload length.
    private int tcpHeaderLength;
    private int tcpFlags;
    private int seq;
    private int ack;
    private int payloadLength;

    private PacketView(PacketBuffer frame, int ipOffset) {
        this.frame = frame;
        this.ipOffset = ipOffset;
    }

    /**
     * The view of {@code frame}, parsed with the header package's checked views (the receive path's
     * own checks), over a packet that shares the frame's bytes: the frame itself is left as it is.
     */
    public static PacketView of(PacketBuffer frame, LinkType linkType) {
        PacketView v = new PacketView(frame, linkType.headerLength());
        PacketBuffer packet = sharing(frame);
        if (linkType == LinkType.ETHERNET) {
            EthernetHeader ethernet = EthernetHeader.of(packet);
            if (ethernet == null) {
                return v;
            }
            int etherType = ethernet.etherType();
            if (etherType != EthernetHeader.TYPE_IPV4 && etherType != EthernetHeader.TYPE_IPV6) {
                return v;
            }
        }
        if (packet.length() > v.ipOffset) {
            packet.consume(v.ipOffset);
            v.parseIp(packet);
        }
        return v;
    }

    /** A packet over the same bytes as {@code frame}, to be consumed and made contiguous without touching the frame. */
    private static PacketBuffer sharing(PacketBuffer frame) {
        PacketBuffer packet = PacketBuffer.wrap(frame.array(), frame.offset(), frame.frontLength());
        int sliceBytes = frame.length() - frame.frontLength();
        if (sliceBytes > 0) {
            frame.forEachRange(frame.frontLength(), sliceBytes, packet::appendSlice);
        }
        return packet;
    }

    /** Parses the IP header at the start of {@code packet}, and the transport header behind it when it is there whole. */
    private void parseIp(PacketBuffer packet) {
        int headerLength;
        int payloadLength;
        boolean laterFragment;
        if (packet.getByte(0) >>> 4 == Ipv4Header.VERSION) {
            Ipv4Header v4 = Ipv4Header.of(packet);
            if (v4 == null) {
                return;
            }
            version = Ipv4Header.VERSION;
            protocol = v4.protocol();
            source = IpAddress.v4(v4.source());
            destination = IpAddress.v4(v4.destination());
            headerLength = v4.headerLength();
            payloadLength = v4.totalLength() - headerLength;
            laterFragment = v4.fragmentOffset() != 0;
        } else {
            Ipv6Header v6 = Ipv6Header.of(packet);
            if (v6 == null) {
                return;
            }
            version = Ipv6Header.VERSION;
            // Only a transport header right after the fixed header is seen; extension headers
            // leave the ports unknown, so such packets match rules without ports only.
            protocol = v6.nextHeader();
            source = v6.source();
            destination = v6.destination();
            headerLength = Ipv6Header.LENGTH;
            payloadLength = v6.payloadLength();
            laterFragment = false;
        }
        ip = true;
        if (laterFragment) {
            return;
        }
        transportOffset = ipOffset + headerLength;
        packet.truncate(headerLength + payloadLength); // link-layer padding is not payload
        packet.consume(headerLength);
        if (protocol == Ipv4Header.PROTOCOL_TCP) {
            parseTcp(packet);
        } else if (protocol == Ipv4Header.PROTOCOL_UDP) {
            UdpHeader udp = UdpHeader.of(packet);
            if (udp != null) {
                sourcePort = udp.sourcePort();
                destinationPort = udp.destinationPort();
            }
        }
    }

    private void parseTcp(PacketBuffer segment) {
        TcpHeader tcp = TcpHeader.of(segment);
        if (tcp == null) {
            return;
        }
        sourcePort = tcp.sourcePort();
        destinationPort = tcp.destinationPort();
        tcpHeaderLength = tcp.headerLength();
        tcpFlags = tcp.flags();
        seq = tcp.sequenceNumber();
        ack = tcp.ackNumber();
        payloadLength = segment.length() - tcpHeaderLength;
    }

    public boolean isIp() {
        return ip;
    }

    /** A whole TCP header is present (not a later fragment, not truncated). */
    public boolean isTcp() {
        return ip && protocol == Ipv4Header.PROTOCOL_TCP && tcpHeaderLength > 0;
    }

    public boolean isUdp() {
        return ip && protocol == Ipv4Header.PROTOCOL_UDP;
    }

    public boolean isIcmp() {
        return ip && (protocol == Ipv4Header.PROTOCOL_ICMP || protocol == Ipv6Header.NEXT_ICMPV6);
    }

    public boolean hasFlags(int mask) {
        return (tcpFlags & mask) == mask;
    }

    public PacketBuffer frame() {
        return frame;
    }

    public int ipOffset() {
        return ipOffset;
    }

    /** 4 or 6; 0 when not IP. */
    public int version() {
        return version;
    }

    public IpAddress source() {
        return source;
    }

    public IpAddress destination() {
        return destination;
    }

    /** The TCP or UDP source port, -1 when unknown (another protocol, a later fragment). */
    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int transportOffset() {
        return transportOffset;
    }

    public int tcpHeaderLength() {
        return tcpHeaderLength;
    }

    public int tcpFlags() {
        return tcpFlags;
    }

    public int seq() {
        return seq;
    }

    public int ack() {
        return ack;
    }

    /** TCP payload bytes. */
    public int payloadLength() {
        return payloadLength;
    }
}
