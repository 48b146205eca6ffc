package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §4.8: after a retransmission timeout CUBIC restarts from one segment like Reno, and its
 * first congestion-avoidance epoch has K = 0 and W_max = the cwnd it starts at, so it grows
 * convexly from there.
 */
class CubicTimeoutTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;

    private Cubic cubic;
    private FullWindowSender sender;

    @BeforeEach
    void timeOutAtOneHundredSegmentsAndSlowStartBack() {
        sender = FullWindowSender.cubicAt(100, MSS, RTT);
        cubic = sender.cubic();
        cubic.onRetransmitTimeout(cubic.cwnd());
    }

    @Test
    void timeoutLeavesOneSegment() {
        assertEquals(MSS, cubic.cwnd());
    }

    @Test
    void firstEpochAfterTimeoutStartsWithKZero() {
        sender.slowStartTo(70);
        sender.roundTrip();

        assertEquals(0, cubic.kSeconds(), 1e-12);
    }

    @Test
    void firstEpochAfterTimeoutTakesWmaxFromTheCwndItStartsAt() {
        sender.slowStartTo(70);
        sender.roundTrip();

        assertEquals(70, cubic.wMaxSegments(), 1e-9);
    }

    @Test
    void firstEpochAfterTimeoutGrowsConvexly() {
        sender.slowStartTo(70);

        double[] cwnd = sender.run(6);

        // The Reno estimate governs at first (about 5 segments a second at 100 ms); 0.4·t^3 overtakes it.
        double firstSecond = cwnd[9] - 70;
        double sixthSecond = cwnd[59] - cwnd[49];
        assertTrue(sixthSecond > 4 * firstSecond, "first second +" + firstSecond + ", sixth +" + sixthSecond);
    }
}
