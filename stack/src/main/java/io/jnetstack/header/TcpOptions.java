package io.jnetstack.header;

import java.util.Arrays;

/**
 * The TCP options the stack understands, parsed or to be encoded: MSS (RFC 9293 §3.7.1), window
 * scale (RFC 7323 §2), SACK-permitted and SACK blocks (RFC 2018), timestamps (RFC 7323 §3).
 * Absent values are -1 (or false, or an empty SACK list). Unknown options are skipped by length.
 *
 * @param mss         maximum segment size, or -1
 * @param windowScale shift count, or -1
 * @param sackPermitted SACK-permitted option present
 * @param tsVal       timestamp value (valid when {@code hasTimestamps})
 * @param tsEcr       timestamp echo reply (valid when {@code hasTimestamps})
 * @param sackBlocks  pairs of (left, right) sequence numbers: {@code [l0, r0, l1, r1, ...]}
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, boolean hasTimestamps,
                         int tsVal, int tsEcr, int[] sackBlocks) {
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMP = 8;
    /** RFC 7323 §2.3: a shift count above 14 is treated as 14. */
    public static final int MAX_WINDOW_SCALE = 14;

    /** No SACK blocks; shared, as an empty array cannot change. */
    public static final int[] NO_BLOCKS = new int[0];
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0, NO_BLOCKS);

    /**
     * Parses {@code len} option bytes at {@code off}; returns null when an option's length is
     * invalid or overruns the option space (the segment is then malformed).
     */
    public static TcpOptions parse(byte[] a, int off, int len) {
        ParsedTcpOptions parsed = new ParsedTcpOptions();
        return parsed.parse(a, off, len) ? parsed.toOptions() : null;
    }

    /** Number of bytes {@link #encode} writes, padded with NOPs to a multiple of 4. */
    public int encodedLength() {
        return encodedLength(mss, windowScale, sackPermitted, hasTimestamps, sackBlocks);
    }

    /**
     * Number of bytes {@link #encode(byte[], int, int, int, boolean, boolean, int, int, int[])}
     * writes for these values (absent ones -1, false or no blocks), padded with NOPs to a multiple of 4.
     */
    public static int encodedLength(int mss, int windowScale, boolean sackPermitted, boolean hasTimestamps,
                                    int[] sackBlocks) {
        int n = 0;
        if (mss >= 0) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4; // NOP + 3
        }
        if (hasTimestamps) {
            n += sackPermitted ? 10 : 12; // SACK-permitted shares the padding: kind 4 len 2 + TS
        }
        if (sackPermitted) {
            n += hasTimestamps ? 2 : 4;
        }
        return n + sackBlocksLength(sackBlocks);
    }

    /**
     * Bytes a SACK option with {@code blocks} (left and right edges, in pairs) takes when
     * encoded: two NOPs in front, kind, length and 8 bytes a block (RFC 2018 §3); 0 without blocks.
     */
    public static int sackBlocksLength(int[] blocks) {
        return blocks.length == 0 ? 0 : 2 + 2 + 4 * blocks.length;
    }

    /**
     * Writes the options at {@code off} in the layout Linux uses (aligned with NOPs, so tools and
     * middleboxes see what they expect) and returns the number of bytes written.
     */
    public int encode(byte[] a, int off) {
        return encode(a, off, mss, windowScale, sackPermitted, hasTimestamps, tsVal, tsEcr, sackBlocks);
    }

    /**
     * Writes options with these values (absent ones -1, false or no blocks) at {@code off}, as
     * {@link #encode(byte[], int)} writes the record holding them, without building it: TCP sends
     * every segment, its SYN and SYN-ACK included, this way. Returns the number of bytes written.
     */
    public static int encode(byte[] a, int off, int mss, int windowScale, boolean sackPermitted, boolean hasTimestamps,
                             int tsVal, int tsEcr, int[] sackBlocks) {
        int i = off;
        if (mss >= 0) {
            a[i++] = KIND_MSS;
            a[i++] = 4;
            Bytes.put16(a, i, mss);
            i += 2;
        }
        if (sackPermitted && hasTimestamps) {
            a[i++] = KIND_SACK_PERMITTED;
            a[i++] = 2;
            i = putTimestamps(a, i, tsVal, tsEcr);
        } else if (hasTimestamps) {
            a[i++] = KIND_NOP;
            a[i++] = KIND_NOP;
            i = putTimestamps(a, i, tsVal, tsEcr);
        } else if (sackPermitted) {
            a[i++] = KIND_NOP;
            a[i++] = KIND_NOP;
            a[i++] = KIND_SACK_PERMITTED;
            a[i++] = 2;
        }
        if (windowScale >= 0) {
            a[i++] = KIND_NOP;
            a[i++] = KIND_WINDOW_SCALE;
            a[i++] = 3;
            a[i++] = (byte) windowScale;
        }
        return putSackBlocks(a, i, sackBlocks) - off;
    }

    /**
     * Bytes the options of a segment after the handshake take: timestamps and SACK blocks, laid
     * out as {@link #encode} lays them out.
     */
    public static int dataOptionsLength(boolean timestamps, int[] sackBlocks) {
        return (timestamps ? 12 : 0) + sackBlocksLength(sackBlocks);
    }

    private static int putTimestamps(byte[] a, int i, int tsVal, int tsEcr) {
        a[i++] = KIND_TIMESTAMP;
        a[i++] = 10;
        Bytes.put32(a, i, tsVal);
        Bytes.put32(a, i + 4, tsEcr);
        return i + 8;
    }

    private static int putSackBlocks(byte[] a, int i, int[] blocks) {
        if (blocks.length > 0) {
            a[i++] = KIND_NOP;
            a[i++] = KIND_NOP;
            a[i++] = KIND_SACK;
            a[i++] = (byte) (2 + 4 * blocks.length);
            for (int v : blocks) {
                Bytes.put32(a, i, v);
                i += 4;
            }
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpOptions t && mss == t.mss && windowScale == t.windowScale
                && sackPermitted == t.sackPermitted && hasTimestamps == t.hasTimestamps
                && (!hasTimestamps || (tsVal == t.tsVal && tsEcr == t.tsEcr))
                && Arrays.equals(sackBlocks, t.sackBlocks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sackBlocks) * 31 + mss * 7 + windowScale;
    }

    @Override
    public String toString() {
        return "TcpOptions[mss=" + mss + ", ws=" + windowScale + ", sackOk=" + sackPermitted
                + (hasTimestamps ? ", ts=" + Integer.toUnsignedString(tsVal) + "/" + Integer.toUnsignedString(tsEcr) : "")
                + (sackBlocks.length > 0 ? ", sack=" + Arrays.toString(sackBlocks) : "") + "]";
    }
}
