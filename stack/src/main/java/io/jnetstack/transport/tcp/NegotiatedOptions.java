package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;

/**
 * What one connection's handshake settled about its TCP options (RFC 7323, RFC 2018, RFC 9293
 * §3.7.1), and the timestamp state that follows from them: the sender, the receiver and the
 * endpoint's segment checks read it here rather than from each other.
 *
 * <p>Made with the connection's parts, holding what our SYN or SYN-ACK offers; {@link TcpHandshake}
 * fills in the peer's side when it negotiates. Threads: the connection's processor only, like the
 * sender and receiver.
 */
final class NegotiatedOptions {
    /** Bytes the timestamps option adds to every segment once negotiated (RFC 7323 §3.2, padded). */
    static final int TIMESTAMPS_OPTION_LENGTH = 12;
    /** RFC 7323 §5.5: after 24 days idle TS.Recent is too old to compare (the peer's clock may have wrapped). */
    static final long PAWS_IDLE_LIMIT_NANOS = java.time.Duration.ofDays(24).toNanos();

    private final Clock clock;
    /** The MSS our SYN or SYN-ACK announces: the route's largest transport packet less a bare TCP header. */
    final int advertisedMss;
    /** RFC 7323 §5.4: a per-connection random offset for our TSvals. */
    private final int tsOffset;
    /** The shift the peer applies to the windows it sends us (RFC 7323 §2.2); 0 without window scaling. */
    int sendWindowScale;
    /** The shift we apply to the windows we advertise; what our SYN offers, 0 if the peer does not scale. */
    int receiveWindowScale;
    boolean sackEnabled;
    boolean timestampsEnabled;
    private int tsRecent;
    private long tsRecentSetNanos;

    NegotiatedOptions(Clock clock, int advertisedMss, int receiveWindowScale, int tsOffset) {
        this.clock = clock;
        this.advertisedMss = advertisedMss;
        this.receiveWindowScale = receiveWindowScale;
        this.tsOffset = tsOffset;
    }

    /** Bytes the timestamps option takes from every segment's payload room: 0 unless negotiated. */
    int timestampsLength() {
        return timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0;
    }

    /** TSval: milliseconds from the per-connection offset (RFC 7323 §5.4). */
    int tsNow() {
        return (int) (clock.nanoTime() / 1_000_000L) + tsOffset;
    }

    /** TS.Recent, the TSval our segments echo. */
    int tsRecent() {
        return tsRecent;
    }

    void updateTsRecent(int tsVal) {
        tsRecent = tsVal;
        tsRecentSetNanos = clock.nanoTime();
    }

    /**
     * RFC 7323 §5.3 (PAWS): a segment whose TSval is older than TS.Recent is an old duplicate,
     * unless TS.Recent has been idle so long that the peer's clock may have wrapped (§5.5).
     */
    boolean isOldDuplicate(int tsVal) {
        return timestampsEnabled && SeqNum.lt(tsVal, tsRecent) && clock.nanoTime() - tsRecentSetNanos < PAWS_IDLE_LIMIT_NANOS;
    }
}
