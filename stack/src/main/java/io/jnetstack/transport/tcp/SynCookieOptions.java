package io.jnetstack.transport.tcp;

/**
 * The options a SYN cookie cannot hold, carried in the low bits of the SYN-ACK's TSval instead,
 * as Linux does: the peer echoes TSval in the TSecr of its ACK, so window scaling and SACK
 * survive a SYN flood. Only possible when the peer's SYN had timestamps. Bits 0–3 hold the peer's
 * window scale (15 when it offered none), bit 4 SACK-permitted.
 *
 * @param peerWindowScale the shift the peer offered, or -1
 * @param sackPermitted   the peer offered SACK
 */
record SynCookieOptions(int peerWindowScale, boolean sackPermitted) {
    static final int BITS = 6;
    private static final int MASK = (1 << BITS) - 1;
    private static final int NO_WINDOW_SCALE = 15;
    private static final int SACK_BIT = 1 << 4;

    /**
     * A TSval near {@code now} whose low bits carry these options. It is never above {@code now},
     * so the connection's later TSvals do not look older to the peer's PAWS (RFC 7323 §5).
     */
    int encodeInto(int now) {
        int bits = (peerWindowScale < 0 ? NO_WINDOW_SCALE : peerWindowScale) | (sackPermitted ? SACK_BIT : 0);
        int tsVal = (now & ~MASK) | bits;
        return SeqNum.gt(tsVal, now) ? tsVal - (1 << BITS) : tsVal;
    }

    /** The options carried by an echoed TSval. */
    static SynCookieOptions decode(int tsEcr) {
        int scale = tsEcr & 0xf;
        return new SynCookieOptions(scale == NO_WINDOW_SCALE ? -1 : scale, (tsEcr & SACK_BIT) != 0);
    }
}
