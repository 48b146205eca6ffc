package io.jnetstack.transport.tcp;

/**
 * 32-bit modular sequence-number arithmetic (RFC 9293 §3.4, serial-number arithmetic of RFC 1982).
 * Sequence numbers are plain {@code int}s everywhere; their order is the sign of their wrapped
 * difference, which is meaningful while the two numbers are less than 2^31 apart (every TCP
 * window is, RFC 7323 §2.3 caps it at 2^30).
 */
final class SeqNum {
    private SeqNum() {
    }

    /** {@code a} comes strictly before {@code b}. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a} comes before or is {@code b}. */
    public static boolean leq(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a} comes strictly after {@code b}. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a} comes after or is {@code b}. */
    public static boolean geq(int a, int b) {
        return a - b >= 0;
    }

    /**
     * {@code start <= seq < start + size}. {@code size} is a byte count in [0, 2^31); a zero-sized
     * window holds nothing.
     */
    public static boolean inWindow(int seq, int start, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("window size must not be negative: " + size);
        }
        return Integer.compareUnsigned(seq - start, size) < 0;
    }

    /** {@code a <= seq < b}; empty when {@code a == b}. */
    public static boolean inRange(int seq, int a, int b) {
        // Distances from a, compared unsigned, are immune to where the range sits on the circle.
        return Integer.compareUnsigned(seq - a, b - a) < 0;
    }

    /** {@code seq + n} wrapped to 32 bits. */
    public static int add(int seq, int n) {
        return seq + n;
    }

    /**
     * How far {@code a} is ahead of {@code b}: {@code a - b} as a signed int, so negative when
     * {@link #lt lt(a, b)}. The byte count of the range [b, a) when {@code a} is at or after b.
     */
    public static int diff(int a, int b) {
        return a - b;
    }

    /** The later of {@code a} and {@code b}. */
    public static int max(int a, int b) {
        return lt(a, b) ? b : a;
    }

    /** The earlier of {@code a} and {@code b}. */
    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }
}
