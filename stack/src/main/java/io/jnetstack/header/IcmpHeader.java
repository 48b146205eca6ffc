package io.jnetstack.header;

/**
 * The 8 bytes every ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 §2.1) message starts with: type, code,
 * checksum, and a 4-byte word whose meaning the type gives (identifier and sequence for echo). A
 * view that reads and writes in place; {@link Icmpv4Header} and {@link Icmpv6Header} add their
 * family's types and fields.
 */
public abstract class IcmpHeader {
    public static final int LENGTH = 8;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int WORD = 4;
    private static final int SEQUENCE = 6;

    final byte[] b;
    final int o;

    IcmpHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
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

    /** The 32-bit word after the checksum. */
    int word() {
        return Bytes.i32(b, o + WORD);
    }

    /** Writes type, code and the word after the checksum; the checksum is set to zero. */
    public void encode(int type, int code, int word) {
        Bytes.put8(b, o + TYPE, type);
        Bytes.put8(b, o + CODE, code);
        Bytes.put16(b, o + CHECKSUM, 0);
        Bytes.put32(b, o + WORD, word);
    }

    public void setType(int type) {
        Bytes.put8(b, o + TYPE, type);
    }

    public void setChecksum(int checksum) {
        Bytes.put16(b, o + CHECKSUM, checksum);
    }
}
