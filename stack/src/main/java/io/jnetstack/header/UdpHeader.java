package io.jnetstack.header;

/** View over a UDP header (RFC 768): ports, length (header + data) and checksum. */
public final class UdpHeader {
    public static final int LENGTH = 8;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LEN = 4;
    private static final int CHECKSUM = 6;

    private final byte[] b;
    private final int o;

    public UdpHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
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
