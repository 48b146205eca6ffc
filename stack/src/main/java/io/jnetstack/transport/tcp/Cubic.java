package io.jnetstack.transport.tcp;

import io.jnetstack.time.Clock;

/**
 * CUBIC congestion control (RFC 9438). In congestion avoidance the window follows
 * W_cubic(t) = C·(t − K)^3 + W_max (§4.2): concave up to the window of the last loss, W_max, flat
 * near it, convex beyond, with t the time since the current avoidance epoch began (the first ACK
 * in congestion avoidance after slow start or a congestion event). Where standard Reno would be
 * faster (small RTT × window), cwnd follows the Reno-friendly estimate W_est instead (§4.3).
 *
 * <p>The formulas work in segments (MSS units) and seconds; cwnd stays in bytes. The clock gives
 * t; the RTT is the latest sample passed to {@link #onAck}.
 *
 * <p>Not implemented: HyStart++ (RFC 9406; slow start here is plain RFC 5681/3465) and the undo
 * of spurious congestion events (RFC 9438 §4.9).
 */
final class Cubic extends LossBasedCongestionControl {
    /** RFC 9438 §5: C = 0.4. */
    static final double C = 0.4;
    /** RFC 9438 §4.6: β_cubic = 0.7. */
    static final double BETA = 0.7;
    /** RFC 9438 §4.3: α_cubic = 3·(1 − β)/(1 + β), Reno's average rate for CUBIC's β. */
    static final double ALPHA_RENO_FRIENDLY = 3 * (1 - BETA) / (1 + BETA);

    private static final double NANOS_PER_SECOND = 1e9;
    private static final long NO_EPOCH = Long.MIN_VALUE;

    private final Clock clock;
    /** W_max in segments: the window before the last reduction (0 = none, see §4.8). */
    private double wMaxSegments;
    /** cwnd_prior in segments: the window when ssthresh was last set (§4.3's switch of α to 1). */
    private double cwndPriorSegments;
    private double wEstSegments;
    private double kSeconds;
    private long epochStartNanos = NO_EPOCH;
    private long lastAckNanos = NO_EPOCH;
    private long rttNanos;
    /** Growth below one byte per ACK is common near W_max; the fraction is carried, not lost. */
    private double growthCarryBytes;

    public Cubic(int mss, Clock clock) {
        super(mss);
        if (clock == null) {
            throw new IllegalArgumentException("CUBIC needs a clock");
        }
        this.clock = clock;
    }

    @Override
    public String name() {
        return CUBIC;
    }

    @Override
    double multiplicativeDecrease() {
        return BETA;
    }

    @Override
    void congestionAvoidance(int bytesAcked, long rttSample) {
        long now = clock.nanoTime();
        noteAck(now, rttSample);
        double cwndSegments = (double) cwnd / mss;
        if (epochStartNanos == NO_EPOCH) {
            startEpoch(now, cwndSegments);
        }
        double t = (now - epochStartNanos) / NANOS_PER_SECOND;
        double segmentsAcked = (double) bytesAcked / mss;

        // §4.3: Reno's additive increase, α_cubic until W_est reaches cwnd_prior, then 1.
        double alpha = wEstSegments >= cwndPriorSegments ? 1.0 : ALPHA_RENO_FRIENDLY;
        wEstSegments += alpha * segmentsAcked / cwndSegments;

        double nextSegments;
        if (cubicWindow(t) < wEstSegments) {
            nextSegments = wEstSegments; // §4.3: Reno-friendly region
        } else {
            // §4.4 (concave), §4.5 (convex): aim at W_cubic one RTT ahead, within [cwnd, 1.5·cwnd].
            double target = Math.max(cwndSegments,
                    Math.min(1.5 * cwndSegments, cubicWindow(t + rttNanos / NANOS_PER_SECOND)));
            nextSegments = cwndSegments + (target - cwndSegments) / cwndSegments * segmentsAcked;
        }
        growBy((nextSegments - cwndSegments) * mss);
    }

    /**
     * RFC 9438 §5.8: an application-limited sender must not bank growth, so the epoch moves forward
     * by the time spent not using the window, as if the cubic curve paused.
     */
    @Override
    void onApplicationLimitedAck(long rttSample) {
        long now = clock.nanoTime();
        if (epochStartNanos != NO_EPOCH && lastAckNanos != NO_EPOCH) {
            epochStartNanos += now - lastAckNanos;
        }
        noteAck(now, rttSample);
    }

    @Override
    void beforeReduction(boolean retransmitTimeout) {
        double cwndSegments = (double) cwnd / mss;
        if (retransmitTimeout) {
            // §4.8: the first avoidance epoch after a timeout starts with K = 0 and W_max = its cwnd.
            wMaxSegments = 0;
        } else if (cwndSegments < wMaxSegments) {
            // §4.7 fast convergence: a loss below the last W_max means another flow needs room.
            wMaxSegments = cwndSegments * (1 + BETA) / 2;
        } else {
            wMaxSegments = cwndSegments;
        }
        cwndPriorSegments = cwndSegments;
        epochStartNanos = NO_EPOCH;
    }

    @Override
    void onMssChange(int oldMss, int newMss) {
        growthCarryBytes = growthCarryBytes * newMss / oldMss;
    }

    /** W_max in segments (0 before the first loss and right after a timeout); for tests and monitoring. */
    double wMaxSegments() {
        return wMaxSegments;
    }

    /** K in seconds for the current epoch (0 before one starts); for tests and monitoring. */
    double kSeconds() {
        return kSeconds;
    }

    /** RFC 9438 §4.2 eq. 1: W_cubic(t) in segments. */
    private double cubicWindow(double tSeconds) {
        double fromK = tSeconds - kSeconds;
        return C * fromK * fromK * fromK + wMaxSegments;
    }

    private void startEpoch(long now, double cwndSegments) {
        epochStartNanos = now;
        if (cwndSegments < wMaxSegments) {
            kSeconds = Math.cbrt((wMaxSegments - cwndSegments) / C); // §4.2 eq. 2
        } else {
            // No loss yet, or after a timeout (§4.8), or cwnd already at the old plateau: convex from here.
            kSeconds = 0;
            wMaxSegments = cwndSegments;
        }
        wEstSegments = cwndSegments; // §4.3: W_est starts at cwnd_epoch
        growthCarryBytes = 0;
    }

    private void noteAck(long now, long rttSample) {
        lastAckNanos = now;
        if (rttSample >= 0) {
            rttNanos = rttSample;
        }
    }

    private void growBy(double bytes) {
        if (bytes <= 0) {
            return;
        }
        growthCarryBytes += bytes;
        long whole = (long) growthCarryBytes;
        growthCarryBytes -= whole;
        growCwndTo(cwnd + whole);
    }
}
