package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §4.3: on a 1 ms path with a 20-segment W_max the cubic curve is slower than Reno, so
 * cwnd follows the Reno-friendly estimate W_est: α_cubic ≈ 0.53 segments per RTT until it reaches
 * the window before the loss (cwnd_prior), one segment per RTT after.
 */
class CubicRenoFriendlyTest {
    private static final int MSS = 1000;
    private static final long RTT = 1_000_000L;
    private static final int W_MAX = 20;

    private Cubic cubic;
    private FullWindowSender sender;

    @BeforeEach
    void loseAtTwentySegments() {
        sender = FullWindowSender.cubicAt(W_MAX, MSS, RTT);
        cubic = sender.cubic();
        cubic.onEnterRecovery(cubic.cwnd());
    }

    @Test
    void windowOutgrowsTheCubicCurve() {
        double[] cwnd = sender.run(0.5);

        double k = Math.cbrt(W_MAX * (1 - Cubic.BETA) / Cubic.C);
        double curve = Cubic.C * Math.pow(0.5 - k, 3) + W_MAX;
        assertTrue(cwnd[cwnd.length - 1] > 10 * curve, "cwnd " + cwnd[cwnd.length - 1] + " curve " + curve);
    }

    @Test
    void belowThePriorWindowGrowthIsAlphaCubicPerRtt() {
        double start = (double) cubic.cwnd() / MSS;

        double[] cwnd = sender.run(0.005);

        assertEquals(start + 5 * Cubic.ALPHA_RENO_FRIENDLY, cwnd[4], 0.2);
    }

    @Test
    void abovethePriorWindowGrowthIsOneSegmentPerRtt() {
        double[] cwnd = sender.run(0.05);

        double lastTenRounds = cwnd[cwnd.length - 1] - cwnd[cwnd.length - 11];
        assertEquals(10, lastTenRounds, 0.5);
    }
}
