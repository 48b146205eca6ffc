package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an ICMPv6 message header (RFC 4443 §2.1): type, code, checksum and the 4-byte word
 * after them (identifier and sequence for echo, the MTU of packet too big, the pointer of a
 * parameter problem, the flags of a neighbor advertisement). The checksum covers the IPv6
 * pseudo-header (RFC 4443 §2.3).
 */
public final class Icmpv6Header {
    public static final int LENGTH = 8;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;

    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int WORD = 4;
    private static final int SEQUENCE = 6;

    private final byte[] b;
    private final int o;

    /** A view for writing a message into room the caller reserved; received messages go through {@link #of}. */
    public Icmpv6Header(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /** The header at the start of a received message, made contiguous, or null when it is shorter than a header. */
    public static Icmpv6Header of(PacketBuffer packet) {
        return packet.ensureFront(LENGTH) ? new Icmpv6Header(packet.array(), packet.offset()) : null;
    }

    /** True for error messages (RFC 4443 §2.1: types 0..127). */
    public static boolean isError(int type) {
        return type < 128;
    }

    public int type() {
        return Bytes.u8(b, o + TYPE);
    }

    public int code() {
        return Bytes.u8(b, o + CODE);
    }

    public int checksum() {
        return Bytes.u16(b, o + CHECKSUM);
    }

    public int identifier() {
        return Bytes.u16(b, o + WORD);
    }

    public int sequence() {
        return Bytes.u16(b, o + SEQUENCE);
    }

    /** The 32-bit word after the checksum: MTU (packet too big), pointer (parameter problem), flags (NA). */
    public int word() {
        return Bytes.i32(b, o + WORD);
    }

    /** Writes type, code and the word after the checksum; the checksum is set to zero. */
    public void encode(int type, int code, int word) {
        Bytes.put8(b, o + TYPE, type);
        Bytes.put8(b, o + CODE, code);
        Bytes.put16(b, o + CHECKSUM, 0);
        Bytes.put32(b, o + WORD, word);
    }

    public void setChecksum(int checksum) {
        Bytes.put16(b, o + CHECKSUM, checksum);
    }
}
