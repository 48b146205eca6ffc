package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;
import java.util.Locale;

/**
 * A sender's congestion window (RFC 5681). All sizes are in bytes; algorithms that think in
 * segments (CUBIC) convert with the current MSS.
 *
 * <p>The caller, the TCP sender, decides when each event happens:
 * <ul>
 *   <li>{@link #onAck} for every ACK that advances SND.UNA outside loss recovery (never for
 *       duplicate ACKs, never during recovery);</li>
 *   <li>{@link #onEnterRecovery} once per loss episode: fast retransmit (RFC 5681 §3.2, RFC 6582)
 *       or SACK loss detection (RFC 6675 §5);</li>
 *   <li>{@link #onExitRecovery} when recovery ends (RFC 6582 §3.2 step 3). Reducing to
 *       min(ssthresh, FlightSize + SMSS) is the caller's concern, since only it knows the flight
 *       after the full ACK; here cwnd simply deflates to ssthresh;</li>
 *   <li>{@link #onRetransmitTimeout} when the RTO fires (RFC 5681 §3.1, eq. 4), once per
 *       timeout episode; later backoffs of the same episode must not call it again
 *       (RFC 5681 §3.1 says ssthresh is not lowered further on repeated timeouts).</li>
 * </ul>
 *
 * <p>The window grows only while the sender uses it (RFC 7661 §4: an application-limited sender
 * gets no credit), which is why {@link #onAck} takes the flight size before the ACK.
 *
 * <p>Not thread-safe: one connection's processor thread owns it.
 */
public interface CongestionControl {
    /** The name {@link #create} accepts for CUBIC (RFC 9438), the default. */
    String CUBIC = "cubic";
    /** The name {@link #create} accepts for NewReno (RFC 5681, RFC 6582). */
    String NEW_RENO = "newreno";

    /** Congestion window in bytes. */
    int cwnd();

    /** Slow-start threshold in bytes; {@link Integer#MAX_VALUE} until the first congestion event. */
    int ssthresh();

    /** RFC 5681 §3.1: slow start while cwnd &lt; ssthresh. */
    boolean inSlowStart();

    /**
     * An ACK advanced SND.UNA by {@code bytesAcked} outside recovery.
     *
     * @param bytesAcked newly acknowledged bytes (positive)
     * @param bytesInFlightBeforeAck bytes outstanding just before this ACK arrived
     * @param rttNanos an RTT sample taken from this ACK, or -1 if none (Karn's rule applies)
     */
    void onAck(int bytesAcked, int bytesInFlightBeforeAck, long rttNanos);

    /** Loss detected by duplicate ACKs or SACK: ssthresh = max(flight·β, 2·MSS), cwnd = ssthresh. */
    void onEnterRecovery(int flightSize);

    /** Recovery is over: cwnd deflates to ssthresh (see the class comment for the caller's part). */
    void onExitRecovery();

    /** The retransmission timer fired: ssthresh = max(flight·β, 2·MSS), cwnd = 1 MSS (the loss window). */
    void onRetransmitTimeout(int flightSize);

    /** The current sender MSS (from the peer's MSS option and the path MTU); see implementations for cwnd's fate. */
    void setMss(int mss);

    /** The sender MSS currently in use. */
    int mss();

    /** The name this algorithm is created by. */
    String name();

    /**
     * Creates the algorithm called {@code name} ({@value #CUBIC} or {@value #NEW_RENO}, any case).
     *
     * @throws IllegalArgumentException for any other name, naming the accepted ones
     */
    static CongestionControl create(String name, int mss, Clock clock) {
        return canonicalName(name).equals(CUBIC) ? new Cubic(mss, clock) : new NewReno(mss);
    }

    /**
     * {@value #CUBIC} or {@value #NEW_RENO} for {@code name} in any case.
     *
     * @throws IllegalArgumentException for any other name, naming the accepted ones
     */
    static String canonicalName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!key.equals(CUBIC) && !key.equals(NEW_RENO)) {
            throw new IllegalArgumentException("unknown congestion control '" + name + "'; accepted: "
                    + CUBIC + ", " + NEW_RENO);
        }
        return key;
    }

    /** RFC 6928 §2: the initial window, min(10·MSS, max(2·MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14_600));
    }
}
