package io.jnetstack.transport.tcp;

/**
 * Round-trip time estimation and retransmission timeout per RFC 6298.
 *
 * <p>Karn's algorithm (RFC 6298 §3) is the caller's job: never pass a sample taken from a segment
 * that was retransmitted (unless timestamps, RFC 7323 §4, make the echo unambiguous), because its
 * ACK may answer either transmission. After a backoff, keep the backed-off RTO until an ACK for new
 * data arrives, then call {@link #resetBackoff()}.
 *
 * <p>Not thread-safe: one connection's processor thread owns it.
 */
final class RttEstimator {
    /** Linux's floor (TCP_RTO_MIN); RFC 6298 §2.4's 1 s floor is too slow for LANs and loopback. */
    public static final long DEFAULT_MIN_RTO_NANOS = 200_000_000L;
    /** RFC 6298 §2.5 allows a maximum of at least 60 s; Linux uses 120 s (TCP_RTO_MAX). */
    public static final long DEFAULT_MAX_RTO_NANOS = 120_000_000_000L;
    /** RFC 6298 §2.1: RTO before the first measurement. */
    public static final long INITIAL_RTO_NANOS = 1_000_000_000L;
    /** Clock granularity G of RFC 6298 §2 (we measure in nanoseconds; 1 ms matches Linux's jiffy floor). */
    public static final long CLOCK_GRANULARITY_NANOS = 1_000_000L;

    private final long minRtoNanos;
    private final long maxRtoNanos;
    private long srttNanos = -1;
    private long rttvarNanos;
    private long baseRtoNanos;
    /** How many times the timer expired since the last {@link #resetBackoff()}. */
    private int backoffs;

    public RttEstimator(long minRtoNanos, long maxRtoNanos) {
        if (minRtoNanos <= 0 || maxRtoNanos < minRtoNanos) {
            throw new IllegalArgumentException(
                    "need 0 < minRto <= maxRto, got minRto=" + minRtoNanos + " ns, maxRto=" + maxRtoNanos + " ns");
        }
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.baseRtoNanos = clamp(INITIAL_RTO_NANOS);
    }

    /** An estimator with {@link #DEFAULT_MIN_RTO_NANOS} and {@link #DEFAULT_MAX_RTO_NANOS}. */
    public static RttEstimator withDefaults() {
        return new RttEstimator(DEFAULT_MIN_RTO_NANOS, DEFAULT_MAX_RTO_NANOS);
    }

    /**
     * Folds in one RTT measurement (RFC 6298 §2.2, §2.3) and recomputes the base RTO. Leaves any
     * backoff in place; see {@link #resetBackoff()}.
     */
    public void sample(long rttNanos) {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("an RTT sample cannot be negative: " + rttNanos);
        }
        if (srttNanos < 0) {
            // RFC 6298 §2.2: first measurement.
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
        } else {
            // RFC 6298 §2.3: RTTVAR first, from the old SRTT; alpha = 1/8, beta = 1/4.
            rttvarNanos = rttvarNanos - rttvarNanos / 4 + Math.abs(srttNanos - rttNanos) / 4;
            srttNanos = srttNanos - srttNanos / 8 + rttNanos / 8;
        }
        // Samples are far below 2^60 ns in practice; the guard keeps absurd ones from overflowing.
        long variance = Math.min(rttvarNanos, Long.MAX_VALUE / 8) * 4;
        baseRtoNanos = clamp(Math.min(srttNanos, Long.MAX_VALUE / 2) + Math.max(CLOCK_GRANULARITY_NANOS, variance));
    }

    /** The retransmission timeout to arm now: the estimate doubled once per backoff, at most the maximum. */
    public long rtoNanos() {
        return baseRtoNanos > maxRtoNanos >> backoffs ? maxRtoNanos : baseRtoNanos << backoffs;
    }

    /** RFC 6298 §5.5: the timer expired, so double the RTO, capped at the maximum. */
    public void backoff() {
        if (rtoNanos() < maxRtoNanos) {
            backoffs++;
        }
    }

    /** Ends the backoff (an ACK for new data arrived): the RTO is again the estimate's. */
    public void resetBackoff() {
        backoffs = 0;
    }

    /** How many times {@link #backoff()} doubled the RTO since the last reset. */
    public int backoffCount() {
        return backoffs;
    }

    /** Smoothed RTT, or -1 before the first sample. */
    public long srttNanos() {
        return srttNanos;
    }

    /** RTT variation; 0 before the first sample. */
    public long rttvarNanos() {
        return rttvarNanos;
    }

    public boolean hasSample() {
        return srttNanos >= 0;
    }

    private long clamp(long rto) {
        return Math.min(maxRtoNanos, Math.max(minRtoNanos, rto));
    }
}
