package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an ICMPv6 message header (RFC 4443 §2.1): type, code, checksum and the 4-byte word
 * after them (identifier and sequence for echo, the MTU of packet too big, the pointer of a
 * parameter problem, the flags of a neighbor advertisement). The checksum covers the IPv6
 * pseudo-header (RFC 4443 §2.3).
 */
public final class Icmpv6Header extends IcmpHeader {

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

    /** A view for writing a message into room the caller reserved; received messages go through {@link #of}. */
    public Icmpv6Header(byte[] array, int offset) {
        super(array, offset);
    }

    /** The header at the start of a received message, made contiguous, or null when it is shorter than a header. */
    public static Icmpv6Header of(PacketBuffer packet) {
        return packet.ensureFront(LENGTH) ? new Icmpv6Header(packet.array(), packet.offset()) : null;
    }

    /** True for error messages (RFC 4443 §2.1: types 0..127). */
    public static boolean isError(int type) {
        return type < 128;
    }

    /** The 32-bit word after the checksum: MTU (packet too big), pointer (parameter problem), flags (NA). */
    @Override
    public int word() {
        return super.word();
    }
}
