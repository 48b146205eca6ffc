package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * View over a TCP header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, data
 * offset, flags, window, checksum, urgent pointer and options (see {@link TcpOptions}).
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ = 4;
    private static final int ACK_NUM = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    /** Where the checksum field is, for a link that completes it. */
    public static final int CHECKSUM_OFFSET = CHECKSUM;
    private static final int URGENT = 18;

    /** Ports and sequence number: the 64 bits of a segment that an ICMP error is sure to quote. */
    private static final int QUOTED_LENGTH = ACK_NUM;

    private byte[] b;
    private int o;

    /** A view for writing a header into room the caller reserved; received segments go through {@link #of}. */
    public TcpHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * A view that points at nothing until {@link #wrap} points it at a received segment: one such
     * view can read segment after segment without a new object for each.
     */
    public TcpHeader() {
        this(null, 0);
    }

    /**
     * The header at the start of a received segment, checked once (RFC 9293 §3.1): a data offset of
     * at least 5 words and no more than the segment, and the whole header, options included, made
     * contiguous. Null when these fail. The options' own structure ({@link #options()}) and the
     * checksum are the caller's to check.
     */
    public static TcpHeader of(PacketBuffer segment) {
        TcpHeader h = new TcpHeader();
        return h.wrap(segment) ? h : null;
    }

    /**
     * Points this view at the header at the start of {@code segment}, checked as {@link #of} checks
     * it; false when the checks fail, and the view must then not be read.
     */
    public boolean wrap(PacketBuffer segment) {
        if (!segment.ensureFront(MIN_LENGTH)) {
            return false;
        }
        int headerLength = (segment.array()[segment.offset() + DATA_OFFSET] & 0xff) >>> 4 << 2;
        if (headerLength < MIN_LENGTH || headerLength > segment.length() || !segment.ensureFront(headerLength)) {
            return false;
        }
        b = segment.array(); // after ensureFront, which may move the bytes
        o = segment.offset();
        return true;
    }

    /**
     * The header of a segment quoted in an ICMP error, at the start of {@code quoted}, or null when
     * fewer than 8 bytes were quoted (RFC 792 quotes the first 64 bits of the data). Only the ports
     * and the sequence number were quoted: no other field of this view may be read.
     */
    public static TcpHeader ofQuoted(PacketBuffer quoted) {
        return quoted.ensureFront(QUOTED_LENGTH) ? new TcpHeader(quoted.array(), quoted.offset()) : null;
    }

    public int sourcePort() {
        return Bytes.u16(b, o + SRC_PORT);
    }

    public int destinationPort() {
        return Bytes.u16(b, o + DST_PORT);
    }

    public int sequenceNumber() {
        return Bytes.i32(b, o + SEQ);
    }

    public int ackNumber() {
        return Bytes.i32(b, o + ACK_NUM);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLength() {
        return (Bytes.u8(b, o + DATA_OFFSET) >>> 4) * 4;
    }

    public int flags() {
        return Bytes.u8(b, o + FLAGS);
    }

    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    /** The raw 16-bit window field (before window scaling). */
    public int window() {
        return Bytes.u16(b, o + WINDOW);
    }

    public int checksum() {
        return Bytes.u16(b, o + CHECKSUM);
    }

    public int urgentPointer() {
        return Bytes.u16(b, o + URGENT);
    }

    /** Offset of the first option byte within the array; options run to {@link #headerLength()}. */
    public int optionsOffset() {
        return o + MIN_LENGTH;
    }

    public byte[] array() {
        return b;
    }

    /** Parses the options; null if they are malformed (an option overruns the header). */
    public TcpOptions options() {
        return TcpOptions.parse(b, o + MIN_LENGTH, headerLength() - MIN_LENGTH);
    }

    /** Parses the options into {@code into}; false if they are malformed (an option overruns the header). */
    public boolean parseOptions(ParsedTcpOptions into) {
        return into.parse(b, o + MIN_LENGTH, headerLength() - MIN_LENGTH);
    }

    /**
     * Writes the fixed 20 bytes with data offset {@code headerLength}; options, if any, are written
     * after it with {@link TcpOptions#encode}. The checksum is set to zero.
     */
    public void encode(int sourcePort, int destinationPort, int seq, int ack, int flags, int window, int headerLength) {
        encode(b, o, sourcePort, destinationPort, seq, ack, flags, window, headerLength, 0);
    }

    /**
     * Writes the fixed 20 bytes at {@code offset} of {@code array} (RFC 9293 §3.1), as
     * {@link #encode(int, int, int, int, int, int, int)} does but without a view and with the
     * urgent pointer: this is the header of every segment TCP sends. The checksum is set to zero.
     */
    public static void encode(byte[] array, int offset, int sourcePort, int destinationPort, int seq, int ack, int flags,
                              int window, int headerLength, int urgentPointer) {
        Bytes.put16(array, offset + SRC_PORT, sourcePort);
        Bytes.put16(array, offset + DST_PORT, destinationPort);
        Bytes.put32(array, offset + SEQ, seq);
        Bytes.put32(array, offset + ACK_NUM, ack);
        Bytes.put8(array, offset + DATA_OFFSET, (headerLength / 4) << 4);
        Bytes.put8(array, offset + FLAGS, flags);
        Bytes.put16(array, offset + WINDOW, window);
        Bytes.put16(array, offset + CHECKSUM, 0);
        Bytes.put16(array, offset + URGENT, urgentPointer);
    }

    /** Writes {@code checksum} into the header at {@code offset} of {@code array}. */
    public static void putChecksum(byte[] array, int offset, int checksum) {
        Bytes.put16(array, offset + CHECKSUM, checksum);
    }

    /** Sets the urgent pointer, which {@link #encode} leaves zero (RFC 9293 §3.1; only with {@link #URG}). */
    public void setUrgentPointer(int urgentPointer) {
        Bytes.put16(b, o + URGENT, urgentPointer);
    }

    public void setChecksum(int checksum) {
        Bytes.put16(b, o + CHECKSUM, checksum);
    }

    /** A readable rendering of a flags byte, e.g. {@code SYN|ACK}. */
    public static String flagsToString(int flags) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
