package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §4.2, §4.4, §4.5: after a loss at W_max = 100 segments on a 100 ms path (large enough
 * RTT × W that the cubic curve, not the Reno estimate, governs), cwnd climbs concavely to W_max,
 * flattens around t = K and accelerates convexly beyond.
 */
class CubicConcaveConvexTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;
    private static final double W_MAX = 100;
    /** RFC 9438 §4.2 eq. 2 with cwnd_epoch = β·W_max: cbrt(100 · 0.3 / 0.4) ≈ 4.217 s. */
    private static final double K = Math.cbrt(W_MAX * (1 - Cubic.BETA) / Cubic.C);
    private static final int ROUNDS_PER_SECOND = 10;

    private Cubic cubic;
    private double[] cwndEachRound;
    private int cwndAfterLoss;

    @BeforeEach
    void loseAtOneHundredSegmentsThenRunNineSeconds() {
        FullWindowSender sender = FullWindowSender.cubicAt((int) W_MAX, MSS, RTT);
        cubic = sender.cubic();
        cubic.onEnterRecovery(cubic.cwnd());
        cubic.onExitRecovery();
        cwndAfterLoss = cubic.cwnd();
        cwndEachRound = sender.run(9);
    }

    @Test
    void kIsTheTimeTheCurveNeedsToClimbBackToWmax() {
        assertEquals(K, cubic.kSeconds(), 1e-9);
    }

    @Test
    void windowRestartsAtBetaTimesWmax() {
        assertEquals(70 * MSS, cwndAfterLoss);
    }

    @Test
    void growthSlowsDownOnTheWayToWmax() {
        double firstSecond = grewDuring(0, 1);
        double secondBeforeK = grewDuring(K - 1, K);

        assertTrue(firstSecond > 4 * secondBeforeK,
                "first second +" + firstSecond + " segments, second before K +" + secondBeforeK);
    }

    @Test
    void windowIsAtWmaxAroundK() {
        assertEquals(W_MAX, cwndAt(K), 1.5);
    }

    @Test
    void windowStaysBelowWmaxBeforeK() {
        for (int i = 0; i < (int) (K * ROUNDS_PER_SECOND) - 2; i++) {
            assertTrue(cwndEachRound[i] < W_MAX, "round " + i + ": " + cwndEachRound[i]);
        }
    }

    @Test
    void growthSpeedsUpBeyondWmax() {
        double firstSecondAfterK = grewDuring(K + 1, K + 2);
        double nextSecond = grewDuring(K + 2, K + 3);

        assertTrue(nextSecond > 1.5 * firstSecondAfterK,
                "second after K+1 s +" + firstSecondAfterK + ", after K+2 s +" + nextSecond);
    }

    @Test
    void windowTracksTheCubicFunctionOneRttAhead() {
        for (int i = 0; i < cwndEachRound.length; i++) {
            double t = (i + 1.0) / ROUNDS_PER_SECOND;
            double curve = Cubic.C * Math.pow(t + 0.1 - K, 3) + W_MAX;
            assertEquals(curve, cwndEachRound[i], 0.04 * curve, "round " + i);
        }
    }

    private double cwndAt(double seconds) {
        return cwndEachRound[(int) Math.round(seconds * ROUNDS_PER_SECOND) - 1];
    }

    private double grewDuring(double fromSeconds, double toSeconds) {
        return cwndAt(toSeconds) - cwndAt(Math.max(0.1, fromSeconds));
    }
}
