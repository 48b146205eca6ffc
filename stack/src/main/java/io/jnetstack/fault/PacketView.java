package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.LinkType;

/**
 * What a fault rule looks at in a frame: the IP version, transport protocol, addresses and ports,
 * and for TCP its flags, sequence numbers and payload. Read without copying the frame; a frame
 * that is not IP, or too short for the headers it announces, is {@link #isIp() not IP} and only
 * rules that ask for nothing but "any packet" match it.
 */
public final class PacketView {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int IPV6_HEADER_LENGTH = 40;

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

    public static PacketView of(PacketBuffer frame, LinkType linkType) {
        int ipOffset = linkType.headerLength();
        PacketView v = new PacketView(frame, ipOffset);
        int length = frame.length();
        if (linkType == LinkType.ETHERNET) {
            if (length < ipOffset) {
                return v;
            }
            int etherType = u16(frame, 12);
            if (etherType != ETHERTYPE_IPV4 && etherType != ETHERTYPE_IPV6) {
                return v;
            }
        }
        if (length > ipOffset) {
            v.parseIp(length);
        }
        return v;
    }

    private void parseIp(int length) {
        int version = frame.getByte(ipOffset) >> 4;
        int ipEnd;
        if (version == 4) {
            int headerLength = (frame.getByte(ipOffset) & 0x0f) * 4;
            if (headerLength < 20 || length < ipOffset + headerLength) {
                return;
            }
            ipEnd = Math.min(length, ipOffset + u16(frame, ipOffset + 2));
            protocol = frame.getByte(ipOffset + 9);
            source = address(ipOffset + 12, 4);
            destination = address(ipOffset + 16, 4);
            boolean laterFragment = (u16(frame, ipOffset + 6) & 0x1fff) != 0;
            transportOffset = laterFragment ? -1 : ipOffset + headerLength;
        } else if (version == 6) {
            if (length < ipOffset + IPV6_HEADER_LENGTH) {
                return;
            }
            ipEnd = Math.min(length, ipOffset + IPV6_HEADER_LENGTH + u16(frame, ipOffset + 4));
            // Only a transport header right after the fixed header is seen; extension headers
            // leave the ports unknown, so such packets match rules without ports only.
            protocol = frame.getByte(ipOffset + 6);
            source = address(ipOffset + 8, 16);
            destination = address(ipOffset + 24, 16);
            transportOffset = ipOffset + IPV6_HEADER_LENGTH;
        } else {
            return;
        }
        this.version = version;
        this.ip = true;
        if (transportOffset < 0) {
            return;
        }
        if ((protocol == TCP || protocol == UDP) && ipEnd >= transportOffset + 4) {
            sourcePort = u16(frame, transportOffset);
            destinationPort = u16(frame, transportOffset + 2);
        }
        if (protocol == TCP && ipEnd >= transportOffset + 20) {
            tcpHeaderLength = (frame.getByte(transportOffset + 12) >> 4) * 4;
            if (tcpHeaderLength < 20 || transportOffset + tcpHeaderLength > ipEnd) {
                sourcePort = destinationPort = -1;
                tcpHeaderLength = 0;
                return;
            }
            tcpFlags = frame.getByte(transportOffset + 13);
            seq = (int) u32(frame, transportOffset + 4);
            ack = (int) u32(frame, transportOffset + 8);
            payloadLength = ipEnd - transportOffset - tcpHeaderLength;
        }
    }

    public boolean isIp() {
        return ip;
    }

    /** A whole TCP header is present (not a later fragment, not truncated). */
    public boolean isTcp() {
        return ip && protocol == TCP && tcpHeaderLength > 0;
    }

    public boolean isUdp() {
        return ip && protocol == UDP;
    }

    public boolean isIcmp() {
        return ip && (protocol == ICMP || protocol == ICMPV6);
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

    private IpAddress address(int offset, int length) {
        byte[] bytes = new byte[length];
        frame.copyTo(offset, bytes, 0, length);
        return IpAddress.of(bytes);
    }

    private static int u16(PacketBuffer p, int index) {
        return (p.getByte(index) << 8) | p.getByte(index + 1);
    }

    private static long u32(PacketBuffer p, int index) {
        return ((long) u16(p, index) << 16) | u16(p, index + 2);
    }
}
