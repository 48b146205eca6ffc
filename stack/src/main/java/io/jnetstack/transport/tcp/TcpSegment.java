package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.stack.PacketInfo;

/**
 * One received, validated TCP segment: header fields, parsed options and the payload, which stays
 * in the packet it arrived in. The endpoint that receives it owns the packet.
 */
final class TcpSegment {
    final IpAddress source;
    final IpAddress destination;
    final int nicId;
    final int sourcePort;
    final int destinationPort;
    final int seq;
    final int ack;
    final int flags;
    /** The raw window field; the receiver scales it. */
    final int window;
    /** The raw urgent pointer field; meaningful only with URG. */
    final int urgentPointer;
    final TcpOptions options;
    final PacketBuffer packet;
    final int payloadOffset;
    final int payloadLength;

    private TcpSegment(PacketInfo info, TcpHeader h, TcpOptions options, PacketBuffer packet) {
        this.source = info.source();
        this.destination = info.destination();
        this.nicId = info.nicId();
        this.sourcePort = h.sourcePort();
        this.destinationPort = h.destinationPort();
        this.seq = h.sequenceNumber();
        this.ack = h.ackNumber();
        this.flags = h.flags();
        this.window = h.window();
        this.urgentPointer = h.urgentPointer();
        this.options = options;
        this.packet = packet;
        this.payloadOffset = h.headerLength();
        this.payloadLength = packet.length() - h.headerLength();
    }

    /**
     * Validates length, data offset, options and checksum (RFC 9293 §3.1, §3.10.7: a segment that
     * fails is dropped) and parses the segment. Returns null for a segment that fails, after
     * counting why in {@code stats}.
     */
    static TcpSegment parse(PacketInfo info, PacketBuffer packet, TcpStats stats) {
        TcpHeader h = TcpHeader.of(packet);
        TcpOptions options = h == null ? null : h.options();
        if (options == null) {
            return refuse(stats, TcpStats.Counter.MALFORMED_SEGMENTS);
        }
        if (!packet.isChecksumVerified() && !Checksum.verifies(
                Checksum.add(pseudoHeader(info.source(), info.destination(), packet.length()), packet, 0, packet.length()))) {
            return refuse(stats, TcpStats.Counter.CHECKSUM_ERRORS);
        }
        return new TcpSegment(info, h, options, packet);
    }

    private static TcpSegment refuse(TcpStats stats, TcpStats.Counter why) {
        stats.increment(why);
        return null;
    }

    /** Partial checksum of the IPv4 or IPv6 pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1); allocates nothing. */
    static int pseudoHeader(IpAddress source, IpAddress destination, int tcpLength) {
        return Checksum.pseudoHeader(source, destination, TcpProtocol.PROTOCOL_NUMBER, tcpLength);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** SEG.LEN: payload plus one for each of SYN and FIN (RFC 9293 §3.4). */
    int sequenceLength() {
        return payloadLength + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
    }

    @Override
    public String toString() {
        return source + ":" + sourcePort + ">" + destination + ":" + destinationPort + " "
                + TcpHeader.flagsToString(flags) + " seq=" + Integer.toUnsignedString(seq)
                + " ack=" + Integer.toUnsignedString(ack) + " win=" + window + " len=" + payloadLength + " " + options;
    }
}
