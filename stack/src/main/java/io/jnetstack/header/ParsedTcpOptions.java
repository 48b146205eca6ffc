package io.jnetstack.header;

/**
 * The options of a received TCP segment, parsed into fields that are overwritten by the next
 * {@link #parse}: one instance serves segment after segment, so the receive path allocates nothing
 * per segment for them (the same option space as {@link TcpOptions}, which is the immutable form;
 * {@link #toOptions()} makes one). Absent values are -1, false, or no SACK blocks.
 */
public final class ParsedTcpOptions {
    /** The 40-byte option space holds at most four SACK blocks (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;

    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int tsVal;
    private int tsEcr;
    /** Left and right edges of {@link #sackBlockCount} blocks, in pairs; made when the first SACK option arrives. */
    private int[] sackEdges;
    private int sackBlockCount;

    /** No options, until {@link #parse} or {@link #copyFrom} fills it. */
    public ParsedTcpOptions() {
        clear();
    }

    private void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlockCount = 0;
    }

    /**
     * Parses {@code len} option bytes at {@code off} (RFC 9293 §3.1: unknown kinds are skipped by
     * their length). False when an option's length is invalid or overruns the option space: the
     * segment is then malformed, and this object's values mean nothing.
     */
    public boolean parse(byte[] a, int off, int len) {
        clear();
        int i = off;
        int end = off + len;
        while (i < end) {
            int kind = a[i] & 0xff;
            if (kind == TcpOptions.KIND_END) {
                break;
            }
            if (kind == TcpOptions.KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return false;
            }
            int optLen = a[i + 1] & 0xff;
            if (optLen < 2 || i + optLen > end || !parseOption(kind, optLen, a, i)) {
                return false;
            }
            i += optLen;
        }
        return true;
    }

    /** One option of {@code optLen} bytes at {@code a[i]}; false if its length is wrong for its kind. */
    private boolean parseOption(int kind, int optLen, byte[] a, int i) {
        switch (kind) {
            case TcpOptions.KIND_MSS -> {
                if (optLen != 4) {
                    return false;
                }
                mss = Bytes.u16(a, i + 2);
            }
            case TcpOptions.KIND_WINDOW_SCALE -> {
                if (optLen != 3) {
                    return false;
                }
                windowScale = Math.min(a[i + 2] & 0xff, TcpOptions.MAX_WINDOW_SCALE);
            }
            case TcpOptions.KIND_SACK_PERMITTED -> {
                if (optLen != 2) {
                    return false;
                }
                sackPermitted = true;
            }
            case TcpOptions.KIND_TIMESTAMP -> {
                if (optLen != 10) {
                    return false;
                }
                hasTimestamps = true;
                tsVal = Bytes.i32(a, i + 2);
                tsEcr = Bytes.i32(a, i + 6);
            }
            case TcpOptions.KIND_SACK -> {
                if ((optLen - 2) % 8 != 0) {
                    return false; // a length under 40 bytes also bounds the blocks to MAX_SACK_BLOCKS
                }
                sackBlockCount = (optLen - 2) / 8;
                if (sackEdges == null) {
                    sackEdges = new int[2 * MAX_SACK_BLOCKS];
                }
                for (int k = 0; k < 2 * sackBlockCount; k++) {
                    sackEdges[k] = Bytes.i32(a, i + 2 + 4 * k);
                }
            }
            default -> {
                // Unknown option: skipped by its length.
            }
        }
        return true;
    }

    /** Takes {@code other}'s values, for a segment that must outlive the one parse it came from. */
    public void copyFrom(ParsedTcpOptions other) {
        mss = other.mss;
        windowScale = other.windowScale;
        sackPermitted = other.sackPermitted;
        hasTimestamps = other.hasTimestamps;
        tsVal = other.tsVal;
        tsEcr = other.tsEcr;
        sackBlockCount = other.sackBlockCount;
        if (sackBlockCount > 0) {
            if (sackEdges == null) {
                sackEdges = new int[2 * MAX_SACK_BLOCKS];
            }
            System.arraycopy(other.sackEdges, 0, sackEdges, 0, 2 * sackBlockCount);
        }
    }

    public int mss() {
        return mss;
    }

    public int windowScale() {
        return windowScale;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    public int tsVal() {
        return tsVal;
    }

    public int tsEcr() {
        return tsEcr;
    }

    public int sackBlockCount() {
        return sackBlockCount;
    }

    /** The left edge of SACK block {@code i}. */
    public int sackLeft(int i) {
        return sackEdges[2 * checkBlock(i)];
    }

    /** The right edge of SACK block {@code i} (the first sequence number after it). */
    public int sackRight(int i) {
        return sackEdges[2 * checkBlock(i) + 1];
    }

    private int checkBlock(int i) {
        if (i < 0 || i >= sackBlockCount) {
            throw new IndexOutOfBoundsException("SACK block " + i + " of " + sackBlockCount);
        }
        return i;
    }

    /** These values as an immutable {@link TcpOptions}. */
    public TcpOptions toOptions() {
        int[] blocks = sackBlockCount == 0 ? TcpOptions.NO_BLOCKS : new int[2 * sackBlockCount];
        if (sackBlockCount > 0) {
            System.arraycopy(sackEdges, 0, blocks, 0, blocks.length);
        }
        return new TcpOptions(mss, windowScale, sackPermitted, hasTimestamps, tsVal, tsEcr, blocks);
    }

    @Override
    public String toString() {
        return toOptions().toString();
    }
}
