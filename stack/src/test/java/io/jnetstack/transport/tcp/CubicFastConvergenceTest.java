package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §4.7: a loss below the previous W_max means a new flow is competing, so W_max drops
 * further, to cwnd·(1 + β)/2, releasing bandwidth sooner. The window is large enough (1000
 * segments at 100 ms) that the cubic curve, not the Reno estimate, governs.
 */
class CubicFastConvergenceTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;

    private Cubic cubic;
    private FullWindowSender sender;

    @BeforeEach
    void loseAtOneThousandSegments() {
        sender = FullWindowSender.cubicAt(1000, MSS, RTT);
        cubic = sender.cubic();
        cubic.onEnterRecovery(cubic.cwnd());
    }

    @Test
    void lossAboveThePreviousWmaxRemembersCwndAsWmax() {
        assertEquals(1000, cubic.wMaxSegments(), 1e-9);
    }

    @Test
    void lossBelowThePreviousWmaxReducesWmaxBelowCwnd() {
        cubic.onEnterRecovery(cubic.cwnd()); // at 700 segments, below W_max = 1000

        assertEquals(700 * (1 + Cubic.BETA) / 2, cubic.wMaxSegments(), 1e-9);
    }

    @Test
    void windowPlateausAtTheReducedWmax() {
        cubic.onEnterRecovery(cubic.cwnd()); // W_max 595, cwnd 490
        double k = Math.cbrt((595 - 490) / Cubic.C);

        double[] cwnd = sender.run(k);

        assertEquals(595, cwnd[cwnd.length - 1], 0.01 * 595);
    }
}
