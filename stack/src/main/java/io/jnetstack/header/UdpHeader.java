package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/** View over a UDP header (RFC 768): ports, length (header + data) and checksum. */
public final class UdpHeader {
    public static final int LENGTH = 8;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LEN = 4;
    private static final int CHECKSUM = 6;

    private final byte[] b;
    private final int o;

    /** A view for writing a header into room the caller reserved; received datagrams go through {@link #of}. */
    public UdpHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * The header at the start of a received datagram, made contiguous, or null when the datagram is
     * shorter than a header or its length field is below the header's length or beyond the bytes
     * that arrived (RFC 768: the length counts header and data). The checksum is the caller's to check.
     */
    public static UdpHeader of(PacketBuffer packet) {
        if (!packet.ensureFront(LENGTH)) {
            return null;
        }
        UdpHeader udp = new UdpHeader(packet.array(), packet.offset());
        int length = udp.length();
        return length >= LENGTH && length <= packet.length() ? udp : null;
    }

    /**
     * The header of a datagram quoted in an ICMP error, at the start of {@code quoted}, or null when
     * fewer than its 8 bytes were quoted (RFC 792 quotes the first 64 bits of the data). Only the
     * ports are meaningful: the quoted datagram's length and checksum describe bytes not quoted.
     */
    public static UdpHeader ofQuoted(PacketBuffer quoted) {
        return quoted.ensureFront(LENGTH) ? new UdpHeader(quoted.array(), quoted.offset()) : null;
    }

    public int sourcePort() {
        return Bytes.u16(b, o + SRC_PORT);
    }

    public int destinationPort() {
        return Bytes.u16(b, o + DST_PORT);
    }

    public int length() {
        return Bytes.u16(b, o + LEN);
    }

    /** The checksum field; 0 means the sender computed none (allowed over IPv4, RFC 768). */
    public int checksum() {
        return Bytes.u16(b, o + CHECKSUM);
    }

    /** Writes the header with a zero checksum, to be set with {@link #setChecksum}. */
    public void encode(int sourcePort, int destinationPort, int length) {
        Bytes.put16(b, o + SRC_PORT, sourcePort);
        Bytes.put16(b, o + DST_PORT, destinationPort);
        Bytes.put16(b, o + LEN, length);
        Bytes.put16(b, o + CHECKSUM, 0);
    }

    /**
     * Sets the checksum from a finished sum; RFC 768: a computed zero is sent as all ones, since
     * zero means "no checksum".
     */
    public void setChecksum(int checksum) {
        Bytes.put16(b, o + CHECKSUM, checksum == 0 ? 0xffff : checksum);
    }
}
