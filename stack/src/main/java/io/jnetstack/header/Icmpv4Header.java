package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an ICMPv4 message header (RFC 792): type, code, checksum and the 4-byte
 * "rest of header" (identifier and sequence for echo; unused or next-hop MTU for errors), the
 * last of which {@link #encode} writes.
 */
public final class Icmpv4Header extends IcmpHeader {
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private static final int MTU = 6;

    /** A view for writing a message into room the caller reserved; received messages go through {@link #of}. */
    public Icmpv4Header(byte[] array, int offset) {
        super(array, offset);
    }

    /**
     * The header at the start of a received message, made contiguous, or null when the message is
     * shorter than a header. The checksum, which covers the whole message, is the caller's to check.
     */
    public static Icmpv4Header of(PacketBuffer packet) {
        return packet.ensureFront(LENGTH) ? new Icmpv4Header(packet.array(), packet.offset()) : null;
    }

    /** Next-hop MTU of a "fragmentation needed" message (RFC 1191 §4). */
    public int nextHopMtu() {
        return Bytes.u16(b, o + MTU);
    }
}
