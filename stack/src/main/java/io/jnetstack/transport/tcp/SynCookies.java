package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.Clock;

/**
 * Stateless SYN cookies, used when the SYN queue is full (in the manner of Linux's syncookies.c):
 * the SYN-ACK's ISN carries everything needed to build the connection when the handshake's final
 * ACK comes back, so a SYN flood cannot exhaust memory.
 *
 * <p>Layout of the cookie before it is offset by a secret per-tuple hash H0 (which hides the time
 * counter from observers):
 * <pre>
 *   bits 31..24  time counter (minutes) mod 256
 *   bits 23..2   22-bit MAC: keyed hash of the 4-tuple, the full counter, the peer's ISN and the MSS index
 *   bits  1..0   index into {@link #MSS_TABLE}
 * </pre>
 * A cookie is valid during the counter period it was made in and the next one (at most two
 * periods old). A guessed ACK passes with probability about 2^-22 per valid counter.
 *
 * <p>Without timestamps there is nowhere to keep window scale, SACK-permitted or the peer's exact
 * MSS, so a connection built from a cookie gets only the table MSS (rounded down) and no window
 * scaling or SACK. Thread-safe.
 */
final class SynCookies {
    /** MSS values a cookie can carry; the largest not above the peer's MSS is chosen. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** Length of one time-counter period (Linux uses 64 s). */
    public static final long COUNTER_PERIOD_NANOS = 60_000_000_000L;
    /** RFC 9293 §3.7.1: the MSS to assume when the SYN carried no MSS option. */
    private static final int DEFAULT_MSS = 536;

    private static final int COUNTER_SHIFT = 24;
    private static final int MAC_SHIFT = 2;
    private static final int MAC_MASK = (1 << 22) - 1;
    private static final int MSS_INDEX_MASK = 0b11;
    private static final int COUNTER_MASK = 0xff;
    /** Oldest accepted cookie, in counter periods. */
    private static final int MAX_AGE = 1;
    /** Context word of H0; MAC contexts never take this value (their bits 34..39 are zero). */
    private static final long OFFSET_CONTEXT = -1L;

    private final Clock clock;
    private final ConnectionTupleHash tupleHash;

    /**
     * @param secret a 16-byte key; null draws one from {@link java.security.SecureRandom}
     * @throws IllegalArgumentException if {@code secret} is not 16 bytes
     */
    public SynCookies(Clock clock, byte[] secret) {
        if (clock == null) {
            throw new IllegalArgumentException("SYN cookies need a clock");
        }
        this.clock = clock;
        this.tupleHash = new ConnectionTupleHash(secret);
    }

    /**
     * Our ISN for the SYN-ACK answering a SYN with sequence number {@code peerIsn} and MSS option
     * {@code peerMss} (0 or negative if the SYN had none).
     */
    public int encode(IpAddress local, int localPort, IpAddress remote, int remotePort, int peerIsn, int peerMss) {
        long counter = currentCounter();
        int mssIndex = mssIndexFor(peerMss);
        int cookie = ((int) (counter & COUNTER_MASK) << COUNTER_SHIFT)
                | (mac(local, localPort, remote, remotePort, counter, peerIsn, mssIndex) << MAC_SHIFT)
                | mssIndex;
        return cookie + offset(local, localPort, remote, remotePort);
    }

    /**
     * Checks the cookie returned in a handshake's final ACK.
     *
     * @param peerIsn the ACK's sequence number minus one
     * @param ourIsn the ACK's acknowledgment number minus one
     * @return the MSS to use for the connection, or -1 if the cookie is forged, belongs to another
     *     tuple or peer ISN, or is older than two counter periods
     */
    public int decodeMss(IpAddress local, int localPort, IpAddress remote, int remotePort, int peerIsn, int ourIsn) {
        int cookie = ourIsn - offset(local, localPort, remote, remotePort);
        long now = currentCounter();
        long age = (now - (cookie >>> COUNTER_SHIFT)) & COUNTER_MASK;
        if (age > MAX_AGE) {
            return -1;
        }
        int mssIndex = cookie & MSS_INDEX_MASK;
        int mac = (cookie >>> MAC_SHIFT) & MAC_MASK;
        if (mac != mac(local, localPort, remote, remotePort, now - age, peerIsn, mssIndex)) {
            return -1;
        }
        return MSS_TABLE[mssIndex];
    }

    /** The MSS a cookie would carry for a peer announcing {@code peerMss}. */
    public static int cookieMss(int peerMss) {
        return MSS_TABLE[mssIndexFor(peerMss)];
    }

    private static int mssIndexFor(int peerMss) {
        int mss = peerMss > 0 ? peerMss : DEFAULT_MSS;
        // Below the smallest entry the peer still gets 536, the MSS every IPv4 host must accept
        // (RFC 9293 §3.7.1), as Linux does.
        for (int i = MSS_TABLE.length - 1; i > 0; i--) {
            if (mss >= MSS_TABLE[i]) {
                return i;
            }
        }
        return 0;
    }

    private long currentCounter() {
        return Math.floorDiv(clock.nanoTime(), COUNTER_PERIOD_NANOS);
    }

    private int offset(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return (int) tupleHash.hash(local, localPort, remote, remotePort, OFFSET_CONTEXT);
    }

    private int mac(IpAddress local, int localPort, IpAddress remote, int remotePort,
            long counter, int peerIsn, int mssIndex) {
        // 24 bits of counter (decades of minutes) | 2 bits of MSS index | 32 bits of peer ISN.
        long context = ((counter & 0xff_ffffL) << 40) | ((long) mssIndex << 32) | (peerIsn & 0xffff_ffffL);
        return (int) tupleHash.hash(local, localPort, remote, remotePort, context) & MAC_MASK;
    }
}
