package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.ParsedTcpOptions;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.PacketInfo;

/**
 * One received, validated TCP segment: header fields, parsed options and the payload, which stays
 * in the packet it arrived in. The endpoint that receives it owns the packet.
 *
 * <p>A segment object is refilled by each {@link #parseFrom}: {@link TcpProtocol} parses every segment
 * a thread receives into that thread's one segment, valid only while the segment is delivered.
 * Whoever keeps a segment past its delivery (a busy connection's backlog) keeps a copy ({@link #copyFrom}).
 */
final class TcpSegment {
    IpAddress source;
    IpAddress destination;
    int nicId;
    int sourcePort;
    int destinationPort;
    int seq;
    int ack;
    int flags;
    /** The raw window field; the receiver scales it. */
    int window;
    /** The raw urgent pointer field; meaningful only with URG. */
    int urgentPointer;
    final ParsedTcpOptions options = new ParsedTcpOptions();
    PacketBuffer packet;
    int payloadOffset;
    int payloadLength;
    /** The view {@link #parseFrom} reads the header through, re-pointed at each segment; null in a copy. */
    private TcpHeader header;

    /**
     * Validates length, data offset, options and checksum (RFC 9293 §3.1, §3.10.7: a segment that
     * fails is dropped, counted in {@code stats}) and parses the segment into this object, whose
     * previous values are lost. False for a segment that fails; this object's values then mean nothing.
     */
    boolean parseFrom(PacketInfo info, PacketBuffer packet, TcpStats stats) {
        if (header == null) {
            header = new TcpHeader();
        }
        TcpHeader h = header;
        if (!h.wrap(packet) || !h.parseOptions(options)) {
            return refuse(stats, TcpStats.Counter.MALFORMED_SEGMENTS);
        }
        if (!packet.isChecksumVerified() && !Checksum.verifies(
                Checksum.add(pseudoHeader(info.source(), info.destination(), packet.length()), packet, 0, packet.length()))) {
            return refuse(stats, TcpStats.Counter.CHECKSUM_ERRORS);
        }
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
        this.packet = packet;
        this.payloadOffset = h.headerLength();
        this.payloadLength = packet.length() - payloadOffset;
        return true;
    }

    /** Takes {@code other}'s values, so that this segment can outlive {@code other}'s delivery. */
    void copyFrom(TcpSegment other) {
        source = other.source;
        destination = other.destination;
        nicId = other.nicId;
        sourcePort = other.sourcePort;
        destinationPort = other.destinationPort;
        seq = other.seq;
        ack = other.ack;
        flags = other.flags;
        window = other.window;
        urgentPointer = other.urgentPointer;
        options.copyFrom(other.options);
        packet = other.packet;
        payloadOffset = other.payloadOffset;
        payloadLength = other.payloadLength;
    }

    /** Forgets the packet, which belongs to whoever the segment was delivered to, once delivery is over. */
    void clearPacket() {
        packet = null;
    }

    private static boolean refuse(TcpStats stats, TcpStats.Counter why) {
        stats.increment(why);
        return false;
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
