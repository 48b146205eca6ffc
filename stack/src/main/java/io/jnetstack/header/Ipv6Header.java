package io.jnetstack.header;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;

/**
 * View over the fixed IPv6 header (RFC 8200 §3): version, traffic class, flow label, payload
 * length, next header, hop limit, source and destination. Extension headers are walked by
 * {@link Ipv6ExtensionHeaders}.
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;
    public static final int VERSION = 6;
    /** RFC 8200 §5: every link an IPv6 packet crosses carries at least 1280 bytes. */
    public static final int MIN_MTU = 1280;
    public static final int MAX_PAYLOAD_LENGTH = 65535;

    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_TCP = 6;
    public static final int NEXT_UDP = 17;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ICMPV6 = 58;
    public static final int NEXT_NONE = 59;
    public static final int NEXT_DESTINATION_OPTIONS = 60;

    /** Offset of the next-header field, which an ICMPv6 parameter problem may point at. */
    public static final int NEXT_HEADER_OFFSET = 6;

    private static final int VERSION_CLASS_FLOW = 0;
    private static final int PAYLOAD_LENGTH = 4;
    private static final int HOP_LIMIT = 7;
    private static final int SRC = 8;
    private static final int DST = 24;
    /** RFC 4443 §3.1: an error quotes the original packet, at least its fixed header and 8 bytes more. */
    private static final int QUOTED_DATA = 8;

    private byte[] b;
    private int o;

    /** A view for writing a header into room the caller reserved; received packets go through {@link #of}. */
    public Ipv6Header(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * The header at the start of a received packet, checked once (RFC 8200 §3): version 6, the
     * fixed header contiguous, and a payload length that does not exceed the bytes that arrived
     * (more bytes are link-layer padding). A zero payload length is accepted as an empty payload
     * (jumbograms, RFC 2675, are not supported: their hop-by-hop option is unknown to us). Null
     * when any check fails.
     */
    public static Ipv6Header of(PacketBuffer packet) {
        Ipv6Header ip = new Ipv6Header();
        return ip.wrap(packet) ? ip : null;
    }

    /**
     * A view that points at nothing until {@link #wrap} points it at a received packet: one such
     * view can read packet after packet without a new object for each.
     */
    public Ipv6Header() {
        this(null, 0);
    }

    /**
     * Points this view at the header at the start of {@code packet}, checked as {@link #of} checks
     * it; false when the checks fail, and the view must then not be read.
     */
    public boolean wrap(PacketBuffer packet) {
        return pointAtContiguousHeader(packet) && LENGTH + payloadLength() <= packet.length();
    }

    /** The header of a packet quoted in an ICMPv6 error: version 6 and 8 bytes of what followed. */
    public static Ipv6Header ofQuoted(PacketBuffer quoted) {
        Ipv6Header ip = new Ipv6Header();
        return ip.pointAtContiguousHeader(quoted) && quoted.length() >= LENGTH + QUOTED_DATA ? ip : null;
    }

    private boolean pointAtContiguousHeader(PacketBuffer packet) {
        if (!packet.ensureFront(LENGTH)) {
            return false;
        }
        b = packet.array(); // after ensureFront, which may move the bytes
        o = packet.offset();
        return version() == VERSION;
    }

    public int version() {
        return Bytes.u8(b, o + VERSION_CLASS_FLOW) >>> 4;
    }

    public int trafficClass() {
        return (Bytes.u16(b, o + VERSION_CLASS_FLOW) >>> 4) & 0xff;
    }

    public int flowLabel() {
        return Bytes.i32(b, o + VERSION_CLASS_FLOW) & 0xfffff;
    }

    public int payloadLength() {
        return Bytes.u16(b, o + PAYLOAD_LENGTH);
    }

    public int nextHeader() {
        return Bytes.u8(b, o + NEXT_HEADER_OFFSET);
    }

    public int hopLimit() {
        return Bytes.u8(b, o + HOP_LIMIT);
    }

    public IpAddress source() {
        return IpAddress.v6(b, o + SRC);
    }

    public IpAddress destination() {
        return IpAddress.v6(b, o + DST);
    }

    public void setPayloadLength(int length) {
        Bytes.put16(b, o + PAYLOAD_LENGTH, length);
    }

    public void setNextHeader(int nextHeader) {
        Bytes.put8(b, o + NEXT_HEADER_OFFSET, nextHeader);
    }

    /** Writes the whole header: traffic class and flow label zero. */
    public void encode(IpAddress source, IpAddress destination, int nextHeader, int hopLimit, int payloadLength) {
        encode(b, o, source, destination, nextHeader, hopLimit, payloadLength);
    }

    /**
     * Writes the whole header (RFC 8200 §3, traffic class and flow label zero) at {@code offset} of
     * {@code array}, as {@link #encode(IpAddress, IpAddress, int, int, int)} does but without a
     * view: this is the header of every datagram a transport sends.
     */
    public static void encode(byte[] array, int offset, IpAddress source, IpAddress destination, int nextHeader,
                              int hopLimit, int payloadLength) {
        Bytes.put32(array, offset + VERSION_CLASS_FLOW, VERSION << 28);
        Bytes.put16(array, offset + PAYLOAD_LENGTH, payloadLength);
        Bytes.put8(array, offset + NEXT_HEADER_OFFSET, nextHeader);
        Bytes.put8(array, offset + HOP_LIMIT, hopLimit);
        source.writeTo(array, offset + SRC);
        destination.writeTo(array, offset + DST);
    }
}
