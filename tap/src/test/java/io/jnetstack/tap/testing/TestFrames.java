package io.jnetstack.tap.testing;

import io.jnetstack.address.LinkAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * Hand-built and hand-parsed Ethernet frames for talking to the kernel before (and independently
 * of) the stack's own header code: an independent implementation is what makes a cross-check
 * worth something. Offsets are those of RFC 826 (ARP), RFC 791 (IPv4), RFC 792 (ICMP), RFC 768
 * (UDP) and RFC 793 (TCP) behind a 14-byte Ethernet II header.
 */
public final class TestFrames {
    public static final int ETHERNET_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ARP_REQUEST = 1;
    public static final int ARP_REPLY = 2;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_ACK = 0x10;

    private static final int ARP_LENGTH = 28;
    private static final int IPV4_HEADER = 20;
    private static final int ICMP_ECHO_HEADER = 8;
    private static final int DEFAULT_TTL = 64;

    private TestFrames() {
    }

    // ---- building ----

    /** "Who has {@code targetIp}? Tell {@code senderIp}", broadcast. */
    public static byte[] arpRequest(LinkAddress senderMac, Inet4Address senderIp, Inet4Address targetIp) {
        byte[] f = ethernet(LinkAddress.BROADCAST, senderMac, ETHERTYPE_ARP, ARP_LENGTH);
        int a = ETHERNET_HEADER;
        putShort(f, a, 1); // hardware type: Ethernet
        putShort(f, a + 2, ETHERTYPE_IPV4);
        f[a + 4] = 6;
        f[a + 5] = 4;
        putShort(f, a + 6, ARP_REQUEST);
        senderMac.writeTo(f, a + 8);
        System.arraycopy(senderIp.getAddress(), 0, f, a + 14, 4);
        // Target hardware address stays zero: that is what is being asked.
        System.arraycopy(targetIp.getAddress(), 0, f, a + 24, 4);
        return f;
    }

    /** An ICMP echo request with correct IPv4 and ICMP checksums. */
    public static byte[] icmpEchoRequest(LinkAddress srcMac, LinkAddress dstMac, Inet4Address srcIp, Inet4Address dstIp,
                                         int identifier, int sequence, byte[] data) {
        byte[] icmp = new byte[ICMP_ECHO_HEADER + data.length];
        icmp[0] = ICMP_ECHO_REQUEST;
        putShort(icmp, 4, identifier);
        putShort(icmp, 6, sequence);
        System.arraycopy(data, 0, icmp, ICMP_ECHO_HEADER, data.length);
        putShort(icmp, 2, internetChecksum(icmp, 0, icmp.length, 0));
        return ipv4Frame(srcMac, dstMac, srcIp, dstIp, PROTOCOL_ICMP, icmp);
    }

    private static byte[] ipv4Frame(LinkAddress srcMac, LinkAddress dstMac, Inet4Address srcIp, Inet4Address dstIp,
                                    int protocol, byte[] payload) {
        byte[] f = ethernet(dstMac, srcMac, ETHERTYPE_IPV4, IPV4_HEADER + payload.length);
        int ip = ETHERNET_HEADER;
        f[ip] = 0x45; // version 4, 5 words of header
        putShort(f, ip + 2, IPV4_HEADER + payload.length);
        putShort(f, ip + 6, 0x4000); // don't fragment
        f[ip + 8] = DEFAULT_TTL;
        f[ip + 9] = (byte) protocol;
        System.arraycopy(srcIp.getAddress(), 0, f, ip + 12, 4);
        System.arraycopy(dstIp.getAddress(), 0, f, ip + 16, 4);
        putShort(f, ip + 10, internetChecksum(f, ip, IPV4_HEADER, 0));
        System.arraycopy(payload, 0, f, ip + IPV4_HEADER, payload.length);
        return f;
    }

    private static byte[] ethernet(LinkAddress dst, LinkAddress src, int etherType, int payloadLength) {
        byte[] f = new byte[ETHERNET_HEADER + payloadLength];
        dst.writeTo(f, 0);
        src.writeTo(f, 6);
        putShort(f, 12, etherType);
        return f;
    }

    /**
     * The RFC 1071 checksum of {@code data[off..off+len)}, continuing from a partial sum (0, or a
     * pseudo-header's). Summing a region that includes a correct checksum field yields 0.
     */
    public static int internetChecksum(byte[] data, int off, int len, long partialSum) {
        long sum = partialSum;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((data[off + i] & 0xff) << 8) | (data[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (data[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    // ---- parsing ----

    public static int etherType(byte[] f) {
        return f.length >= ETHERNET_HEADER ? getShort(f, 12) : -1;
    }

    public static LinkAddress sourceMac(byte[] f) {
        return LinkAddress.of(f, 6);
    }

    public static LinkAddress destinationMac(byte[] f) {
        return LinkAddress.of(f, 0);
    }

    public static boolean isArp(byte[] f, int operation) {
        return etherType(f) == ETHERTYPE_ARP && f.length >= ETHERNET_HEADER + ARP_LENGTH
                && getShort(f, ETHERNET_HEADER + 6) == operation;
    }

    public static LinkAddress arpSenderMac(byte[] f) {
        return LinkAddress.of(f, ETHERNET_HEADER + 8);
    }

    public static Inet4Address arpSenderIp(byte[] f) {
        return address(f, ETHERNET_HEADER + 14);
    }

    public static LinkAddress arpTargetMac(byte[] f) {
        return LinkAddress.of(f, ETHERNET_HEADER + 18);
    }

    public static Inet4Address arpTargetIp(byte[] f) {
        return address(f, ETHERNET_HEADER + 24);
    }

    public static boolean isIpv4(byte[] f) {
        return etherType(f) == ETHERTYPE_IPV4 && f.length >= ETHERNET_HEADER + IPV4_HEADER
                && (f[ETHERNET_HEADER] & 0xf0) == 0x40;
    }

    public static int ipHeaderLength(byte[] f) {
        return (f[ETHERNET_HEADER] & 0x0f) * 4;
    }

    public static int ipTotalLength(byte[] f) {
        return getShort(f, ETHERNET_HEADER + 2);
    }

    public static int ipProtocol(byte[] f) {
        return f[ETHERNET_HEADER + 9] & 0xff;
    }

    public static Inet4Address ipSource(byte[] f) {
        return address(f, ETHERNET_HEADER + 12);
    }

    public static Inet4Address ipDestination(byte[] f) {
        return address(f, ETHERNET_HEADER + 16);
    }

    /** Offset of the transport header in the frame. */
    public static int transportOffset(byte[] f) {
        return ETHERNET_HEADER + ipHeaderLength(f);
    }

    public static boolean ipv4HeaderChecksumValid(byte[] f) {
        return internetChecksum(f, ETHERNET_HEADER, ipHeaderLength(f), 0) == 0;
    }

    /**
     * True when the transport checksum is right: ICMP over its message, UDP and TCP over the
     * RFC 768/793 pseudo-header and segment. A UDP checksum of zero means "none" and counts as right.
     */
    public static boolean transportChecksumValid(byte[] f) {
        int off = transportOffset(f);
        int len = ipTotalLength(f) - ipHeaderLength(f);
        int protocol = ipProtocol(f);
        if (protocol == PROTOCOL_ICMP) {
            return internetChecksum(f, off, len, 0) == 0;
        }
        if (protocol == PROTOCOL_UDP && getShort(f, off + 6) == 0) {
            return true;
        }
        long pseudo = 0;
        for (int i = 0; i < 8; i += 2) {
            pseudo += getShort(f, ETHERNET_HEADER + 12 + i); // source and destination addresses
        }
        pseudo += protocol + len;
        return internetChecksum(f, off, len, pseudo) == 0;
    }

    public static int sourcePort(byte[] f) {
        return getShort(f, transportOffset(f));
    }

    public static int destinationPort(byte[] f) {
        return getShort(f, transportOffset(f) + 2);
    }

    public static int tcpFlags(byte[] f) {
        return f[transportOffset(f) + 13] & 0x3f;
    }

    /** The UDP payload (after the 8-byte header, up to the UDP length). */
    public static byte[] udpPayload(byte[] f) {
        int off = transportOffset(f);
        return Arrays.copyOfRange(f, off + 8, off + getShort(f, off + 4));
    }

    public static int icmpType(byte[] f) {
        return f[transportOffset(f)] & 0xff;
    }

    public static int icmpIdentifier(byte[] f) {
        return getShort(f, transportOffset(f) + 4);
    }

    public static int icmpSequence(byte[] f) {
        return getShort(f, transportOffset(f) + 6);
    }

    public static byte[] icmpEchoData(byte[] f) {
        int off = transportOffset(f) + ICMP_ECHO_HEADER;
        return Arrays.copyOfRange(f, off, ETHERNET_HEADER + ipTotalLength(f));
    }

    // ---- predicates for FrameRecorder ----

    public static Predicate<byte[]> arpReplyFrom(Inet4Address sender) {
        return f -> isArp(f, ARP_REPLY) && arpSenderIp(f).equals(sender);
    }

    public static Predicate<byte[]> arpRequestFor(Inet4Address target) {
        return f -> isArp(f, ARP_REQUEST) && arpTargetIp(f).equals(target);
    }

    public static Predicate<byte[]> ipv4To(Inet4Address destination, int protocol) {
        return f -> isIpv4(f) && ipProtocol(f) == protocol && ipDestination(f).equals(destination);
    }

    public static Predicate<byte[]> icmpEcho(int type, Inet4Address destination) {
        return ipv4To(destination, PROTOCOL_ICMP).and(f -> icmpType(f) == type);
    }

    public static Predicate<byte[]> udpTo(Inet4Address destination, int port) {
        return ipv4To(destination, PROTOCOL_UDP).and(f -> destinationPort(f) == port);
    }

    public static Predicate<byte[]> tcpSynTo(Inet4Address destination, int port) {
        return ipv4To(destination, PROTOCOL_TCP)
                .and(f -> destinationPort(f) == port && (tcpFlags(f) & (TCP_SYN | TCP_ACK)) == TCP_SYN);
    }

    // ---- text ----

    /** One line for failure messages: "ARP request 198.18.0.1 -> 198.18.0.2", "IPv4 proto 58 ..." */
    public static String describe(byte[] f) {
        if (isArp(f, ARP_REQUEST) || isArp(f, ARP_REPLY)) {
            return (isArp(f, ARP_REQUEST) ? "ARP request " : "ARP reply ")
                    + arpSenderIp(f).getHostAddress() + " -> " + arpTargetIp(f).getHostAddress();
        }
        if (isIpv4(f)) {
            return "IPv4 proto " + ipProtocol(f) + " " + ipSource(f).getHostAddress() + " -> " + ipDestination(f).getHostAddress();
        }
        return String.format("ethertype 0x%04x, %d bytes", etherType(f), f.length);
    }

    public static String toHex(byte[] f) {
        return HexFormat.of().formatHex(f);
    }

    /** Parses hex text: lines starting with '#' are comments, whitespace is ignored. */
    public static byte[] fromHex(String text) {
        StringBuilder digits = new StringBuilder();
        text.lines()
                .filter(line -> !line.stripLeading().startsWith("#"))
                .forEach(line -> digits.append(line.replaceAll("\\s+", "")));
        return HexFormat.of().parseHex(digits);
    }

    public static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    private static Inet4Address address(byte[] f, int off) {
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(f, off, off + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    private static int getShort(byte[] f, int off) {
        return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
    }

    private static void putShort(byte[] f, int off, int value) {
        f[off] = (byte) (value >>> 8);
        f[off + 1] = (byte) value;
    }
}
