package io.jnetstack.fault;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.LinkType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Frames a fault rule makes from a TCP segment it saw: the segment cut into slices, or resets of its connection. */
public final class TcpFrames {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int HOP_LIMIT = 64;

    private TcpFrames() {
    }

    /**
     * The segment {@code view} shows, cut into segments of at most {@code sliceBytes} payload bytes:
     * each with the original's headers (options included), its own sequence number, IP length and
     * checksums; PSH and FIN stay on the last slice only.
     */
    public static List<PacketBuffer> slice(PacketView view, int sliceBytes) {
        byte[] whole = view.frame().toByteArray();
        int ip = view.ipOffset();
        int tcp = view.transportOffset();
        int headers = tcp + view.tcpHeaderLength();
        int payload = view.payloadLength();
        List<PacketBuffer> slices = new ArrayList<>(payload / sliceBytes + 1);
        for (int from = 0; from < payload; from += sliceBytes) {
            int n = Math.min(sliceBytes, payload - from);
            byte[] f = new byte[headers + n];
            System.arraycopy(whole, 0, f, 0, headers);
            System.arraycopy(whole, headers + from, f, headers, n);
            boolean last = from + n == payload;
            ByteBuffer.wrap(f).putInt(tcp + 4, view.seq() + from);
            if (!last) {
                f[tcp + 13] &= (byte) ~(TcpHeader.FIN | TcpHeader.PSH);
            }
            finishIp(f, ip, view.version(), f.length - ip);
            finishTcp(f, ip, tcp, view.version());
            slices.add(PacketBuffer.wrap(f, 0, f.length));
        }
        return slices;
    }

    /**
     * A bare TCP segment with {@code flags} (RST, RST|ACK) on {@code view}'s connection: sent by its
     * destination to its source when {@code towardSource}, else as if by its source to its destination.
     */
    public static PacketBuffer reset(PacketView view, LinkType linkType, boolean towardSource, int seq, int ack, int flags) {
        PacketBuffer original = view.frame();
        int ip = view.ipOffset();
        int ipHeader = view.version() == 4 ? IPV4_HEADER : IPV6_HEADER;
        int tcp = ip + ipHeader;
        byte[] f = new byte[tcp + TcpHeader.MIN_LENGTH];
        if (linkType == LinkType.ETHERNET) {
            original.copyTo(0, f, 0, ip); // addresses and EtherType
            if (towardSource) {
                original.copyTo(6, f, 0, 6);
                original.copyTo(0, f, 6, 6);
            }
        }
        byte[] from = (towardSource ? view.destination() : view.source()).toByteArray();
        byte[] to = (towardSource ? view.source() : view.destination()).toByteArray();
        if (view.version() == 4) {
            f[ip] = 0x45;
            f[ip + 6] = 0x40; // DF
            f[ip + 8] = (byte) HOP_LIMIT;
            f[ip + 9] = (byte) PacketView.TCP;
            System.arraycopy(from, 0, f, ip + 12, 4);
            System.arraycopy(to, 0, f, ip + 16, 4);
        } else {
            f[ip] = 0x60;
            f[ip + 6] = (byte) PacketView.TCP;
            f[ip + 7] = (byte) HOP_LIMIT;
            System.arraycopy(from, 0, f, ip + 8, 16);
            System.arraycopy(to, 0, f, ip + 24, 16);
        }
        int fromPort = towardSource ? view.destinationPort() : view.sourcePort();
        int toPort = towardSource ? view.sourcePort() : view.destinationPort();
        new TcpHeader(f, tcp).encode(fromPort, toPort, seq, ack, flags, 0, TcpHeader.MIN_LENGTH);
        finishIp(f, ip, view.version(), f.length - ip);
        finishTcp(f, ip, tcp, view.version());
        return PacketBuffer.wrap(f, 0, f.length);
    }

    /** Sets the IP length fields of a packet of {@code ipLength} bytes and, for IPv4, the header checksum. */
    private static void finishIp(byte[] f, int ip, int version, int ipLength) {
        if (version == 4) {
            Ipv4Header header = new Ipv4Header(f, ip);
            header.setTotalLength(ipLength);
            header.updateChecksum();
        } else {
            ByteBuffer.wrap(f).putShort(ip + 4, (short) (ipLength - IPV6_HEADER));
        }
    }

    /** Computes the TCP checksum over the pseudo-header (RFC 9293 §3.1; RFC 8200 §8.1 for IPv6) and the segment. */
    private static void finishTcp(byte[] f, int ip, int tcp, int version) {
        int length = f.length - tcp;
        int sum;
        if (version == 4) {
            sum = Checksum.add(0, f, ip + 12, 8);
        } else {
            sum = Checksum.add(0, f, ip + 8, 32);
            sum = Checksum.add16(sum, length >>> 16);
        }
        sum = Checksum.add16(sum, length & 0xffff);
        sum = Checksum.add16(sum, PacketView.TCP);
        TcpHeader header = new TcpHeader(f, tcp);
        header.setChecksum(0);
        header.setChecksum(Checksum.finish(Checksum.add(sum, f, tcp, length)));
    }
}
