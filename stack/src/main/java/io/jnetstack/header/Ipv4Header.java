package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an IPv4 header (RFC 791 §3.1). Options are not interpreted, only skipped: the payload
 * starts at {@link #headerLength()}.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    public static final int VERSION = 4;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    /** RFC 791: "Every internet module must be able to forward a datagram of 68 octets". */
    public static final int MIN_MTU = 68;
    public static final int MAX_TOTAL_LENGTH = 65535;

    private static final int VERSION_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int ID = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SRC = 12;
    private static final int DST = 16;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    /** RFC 792: an error quotes "the internet header plus the first 64 bits of the original data". */
    private static final int QUOTED_DATA = 8;

    private byte[] b;
    private int o;

    /**
     * A view for writing a header into room the caller reserved, or for reading one the stack wrote
     * itself; received datagrams go through {@link #of}.
     */
    public Ipv4Header(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * A view that points at nothing until {@link #wrap} points it at a received datagram: one such
     * view can read datagram after datagram without a new object for each.
     */
    public Ipv4Header() {
        this(null, 0);
    }

    /**
     * The header at the start of a received datagram, checked once (RFC 791 §3.1; RFC 1122
     * §3.2.1.1-3.2.1.2): version 4, an IHL of at least 5 with the whole header present and made
     * contiguous, and a total length that covers the header and does not exceed the bytes that
     * arrived (more bytes are link-layer padding). Null when any of these fails. The checksum is
     * left to {@link #isChecksumValid()} so that the caller can count it apart.
     */
    public static Ipv4Header of(PacketBuffer packet) {
        Ipv4Header ip = new Ipv4Header();
        return ip.wrap(packet) ? ip : null;
    }

    /**
     * Points this view at the header at the start of {@code packet}, checked as {@link #of} checks
     * it; false when the checks fail, and the view must then not be read.
     */
    public boolean wrap(PacketBuffer packet) {
        if (!pointAtContiguousHeader(packet)) {
            return false;
        }
        int totalLength = totalLength();
        return totalLength >= headerLength() && totalLength <= packet.length();
    }

    /**
     * The header of a datagram quoted in an ICMP error, at the start of {@code quoted}: version 4,
     * an IHL of at least 5, the whole header contiguous and followed by at least the 64 bits of data
     * that RFC 792 quotes. The total length describes the original datagram, not the quote, so it
     * is not checked. Null when any of these fails.
     */
    public static Ipv4Header ofQuoted(PacketBuffer quoted) {
        Ipv4Header ip = new Ipv4Header();
        return ip.pointAtContiguousHeader(quoted) && quoted.length() >= ip.headerLength() + QUOTED_DATA ? ip : null;
    }

    private boolean pointAtContiguousHeader(PacketBuffer packet) {
        if (!packet.ensureFront(MIN_LENGTH)) {
            return false;
        }
        int versionIhl = packet.array()[packet.offset() + VERSION_IHL] & 0xff;
        int headerLength = (versionIhl & 0x0f) * 4;
        if (versionIhl >>> 4 != VERSION || headerLength < MIN_LENGTH || !packet.ensureFront(headerLength)) {
            return false;
        }
        b = packet.array(); // after ensureFront, which may move the bytes
        o = packet.offset();
        return true;
    }

    public int version() {
        return Bytes.u8(b, o + VERSION_IHL) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (Bytes.u8(b, o + VERSION_IHL) & 0x0f) * 4;
    }

    public int tos() {
        return Bytes.u8(b, o + TOS);
    }

    public int totalLength() {
        return Bytes.u16(b, o + TOTAL_LENGTH);
    }

    public int identification() {
        return Bytes.u16(b, o + ID);
    }

    public boolean dontFragment() {
        return (Bytes.u16(b, o + FLAGS_FRAGMENT) & FLAG_DF) != 0;
    }

    public boolean moreFragments() {
        return (Bytes.u16(b, o + FLAGS_FRAGMENT) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset() {
        return (Bytes.u16(b, o + FLAGS_FRAGMENT) & OFFSET_MASK) * 8;
    }

    /** True for any fragment of a larger datagram (MF set or a non-zero offset). */
    public boolean isFragment() {
        return (Bytes.u16(b, o + FLAGS_FRAGMENT) & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return Bytes.u8(b, o + TTL);
    }

    public int protocol() {
        return Bytes.u8(b, o + PROTOCOL);
    }

    public int checksum() {
        return Bytes.u16(b, o + CHECKSUM);
    }

    public int source() {
        return Bytes.i32(b, o + SRC);
    }

    public int destination() {
        return Bytes.i32(b, o + DST);
    }

    /** True if the header checksum over {@link #headerLength()} bytes verifies. */
    public boolean isChecksumValid() {
        return Checksum.verifies(Checksum.add(0, b, o, headerLength()));
    }

    public void setTotalLength(int length) {
        Bytes.put16(b, o + TOTAL_LENGTH, length);
    }

    public void setTtl(int ttl) {
        Bytes.put8(b, o + TTL, ttl);
    }

    /** Sets flags and offset (offset in bytes, a multiple of 8). */
    public void setFragment(boolean dontFragment, boolean moreFragments, int offsetBytes) {
        putFragment(b, o, dontFragment, moreFragments, offsetBytes);
    }

    private static void putFragment(byte[] b, int o, boolean dontFragment, boolean moreFragments, int offsetBytes) {
        int v = (offsetBytes / 8) & OFFSET_MASK;
        if (dontFragment) {
            v |= FLAG_DF;
        }
        if (moreFragments) {
            v |= FLAG_MF;
        }
        Bytes.put16(b, o + FLAGS_FRAGMENT, v);
    }

    /** Recomputes the header checksum. */
    public void updateChecksum() {
        putChecksum(b, o, headerLength());
    }

    private static void putChecksum(byte[] b, int o, int headerLength) {
        Bytes.put16(b, o + CHECKSUM, 0);
        Bytes.put16(b, o + CHECKSUM, Checksum.finish(Checksum.add(0, b, o, headerLength)));
    }

    /** Writes a 20-byte header without options and computes its checksum. */
    public void encode(Ipv4Fields f) {
        put(b, o, f.tos(), f.totalLength(), f.identification(), f.dontFragment(), f.moreFragments(), f.fragmentOffset(),
                f.ttl(), f.protocol(), f.source(), f.destination());
    }

    /**
     * Writes the 20-byte header of an unfragmented datagram at {@code offset} of {@code array}
     * and computes its checksum, as {@link #encode} does but without a view or a fields object:
     * this is the header of every datagram a transport sends.
     */
    public static void encodeUnfragmented(byte[] array, int offset, int source, int destination, int protocol, int ttl,
                                          int identification, int totalLength, boolean dontFragment) {
        put(array, offset, 0, totalLength, identification, dontFragment, false, 0, ttl, protocol, source, destination);
    }

    private static void put(byte[] b, int o, int tos, int totalLength, int identification, boolean dontFragment,
                            boolean moreFragments, int fragmentOffset, int ttl, int protocol, int source, int destination) {
        Bytes.put8(b, o + VERSION_IHL, (VERSION << 4) | (MIN_LENGTH / 4));
        Bytes.put8(b, o + TOS, tos);
        Bytes.put16(b, o + TOTAL_LENGTH, totalLength);
        Bytes.put16(b, o + ID, identification);
        putFragment(b, o, dontFragment, moreFragments, fragmentOffset);
        Bytes.put8(b, o + TTL, ttl);
        Bytes.put8(b, o + PROTOCOL, protocol);
        Bytes.put32(b, o + SRC, source);
        Bytes.put32(b, o + DST, destination);
        putChecksum(b, o, MIN_LENGTH);
    }

    /** Length of a header whose one option is Router Alert. */
    public static final int ROUTER_ALERT_LENGTH = MIN_LENGTH + 4;

    /**
     * Writes a header whose one option is Router Alert (RFC 2113 §2.1: type 148, length 4, value
     * 0, "every router examines this packet"), as IGMP messages carry it (RFC 3376 §4), and
     * computes its checksum. {@code f}'s total length counts the option.
     */
    public void encodeWithRouterAlert(Ipv4Fields f) {
        encode(f);
        Bytes.put8(b, o + VERSION_IHL, (VERSION << 4) | (ROUTER_ALERT_LENGTH / 4));
        Bytes.put8(b, o + MIN_LENGTH, 148);
        Bytes.put8(b, o + MIN_LENGTH + 1, 4);
        Bytes.put16(b, o + MIN_LENGTH + 2, 0);
        updateChecksum();
    }

    /** The parsed form of this header. */
    public Ipv4Fields fields() {
        return new Ipv4Fields(tos(), totalLength(), identification(), dontFragment(), moreFragments(),
                fragmentOffset(), ttl(), protocol(), source(), destination());
    }
}
