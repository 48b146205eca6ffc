package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.LinkType;
import java.util.ArrayList;
import java.util.List;

/** Frames a fault rule makes from a TCP segment it saw: the segment cut into slices, or resets of its connection. */
public final class TcpFrames {
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
            int flags = last ? view.tcpFlags() : view.tcpFlags() & ~(TcpHeader.FIN | TcpHeader.PSH);
            TcpHeader header = new TcpHeader(f, tcp);
            int urgentPointer = header.urgentPointer();
            header.encode(view.sourcePort(), view.destinationPort(), view.seq() + from, view.ack(), flags, header.window(),
                    view.tcpHeaderLength());
            header.setUrgentPointer(urgentPointer);
            finishIp(f, ip, view.version(), f.length - ip);
            finishTcp(f, tcp, view.source(), view.destination());
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
        int ipHeader = view.version() == Ipv4Header.VERSION ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
        int tcp = ip + ipHeader;
        byte[] f = new byte[tcp + TcpHeader.MIN_LENGTH];
        if (linkType == LinkType.ETHERNET) {
            original.copyTo(0, f, 0, ip); // addresses and EtherType
            if (towardSource) {
                original.copyTo(6, f, 0, 6);
                original.copyTo(0, f, 6, 6);
            }
        }
        IpAddress from = towardSource ? view.destination() : view.source();
        IpAddress to = towardSource ? view.source() : view.destination();
        if (view.version() == Ipv4Header.VERSION) {
            new Ipv4Header(f, ip).encode(Ipv4Fields.of(from.toInt(), to.toInt(), Ipv4Header.PROTOCOL_TCP, HOP_LIMIT, 0,
                    f.length - ip, true));
        } else {
            new Ipv6Header(f, ip).encode(from, to, Ipv6Header.NEXT_TCP, HOP_LIMIT, TcpHeader.MIN_LENGTH);
        }
        int fromPort = towardSource ? view.destinationPort() : view.sourcePort();
        int toPort = towardSource ? view.sourcePort() : view.destinationPort();
        new TcpHeader(f, tcp).encode(fromPort, toPort, seq, ack, flags, 0, TcpHeader.MIN_LENGTH);
        finishTcp(f, tcp, from, to);
        return PacketBuffer.wrap(f, 0, f.length);
    }

    /** Sets the IP length fields of a packet of {@code ipLength} bytes and, for IPv4, the header checksum. */
    private static void finishIp(byte[] f, int ip, int version, int ipLength) {
        if (version == Ipv4Header.VERSION) {
            Ipv4Header header = new Ipv4Header(f, ip);
            header.setTotalLength(ipLength);
            header.updateChecksum();
        } else {
            new Ipv6Header(f, ip).setPayloadLength(ipLength - Ipv6Header.LENGTH);
        }
    }

    /** Computes the TCP checksum over the pseudo-header (RFC 9293 §3.1; RFC 8200 §8.1 for IPv6) and the segment. */
    private static void finishTcp(byte[] f, int tcp, IpAddress source, IpAddress destination) {
        int length = f.length - tcp;
        TcpHeader header = new TcpHeader(f, tcp);
        header.setChecksum(0);
        int sum = Checksum.pseudoHeader(source, destination, Ipv4Header.PROTOCOL_TCP, length);
        header.setChecksum(Checksum.finish(Checksum.add(sum, f, tcp, length)));
    }
}
