package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §5.8 and RFC 7661: time spent not using the window earns no growth, neither at once nor
 * later through a cubic curve that ran on while the sender idled.
 */
class CubicApplicationLimitedTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;

    private FullWindowSender sender;

    /** Loss at 100 segments, then one second of full windows. */
    private static FullWindowSender oneSecondIntoAnEpoch() {
        FullWindowSender s = FullWindowSender.cubicAt(100, MSS, RTT);
        s.cc.onEnterRecovery(s.cc.cwnd());
        s.run(1);
        return s;
    }

    @BeforeEach
    void startOneSecondIntoAnEpoch() {
        sender = oneSecondIntoAnEpoch();
    }

    @Test
    void acksWhileApplicationLimitedLeaveCwnd() {
        int before = sender.cc.cwnd();

        idleTwoSecondsWithSmallWrites();

        assertEquals(before, sender.cc.cwnd());
    }

    @Test
    void idleTimeDoesNotAdvanceTheCubicCurve() {
        FullWindowSender neverIdle = oneSecondIntoAnEpoch();

        idleTwoSecondsWithSmallWrites();
        double[] afterIdle = sender.run(0.5);
        double[] withoutIdle = neverIdle.run(0.5);

        assertEquals(withoutIdle[4], afterIdle[4], 0.5);
    }

    /** One small segment every RTT for two seconds: the window is far from used. */
    private void idleTwoSecondsWithSmallWrites() {
        for (int i = 0; i < 20; i++) {
            sender.clock.advanceNanos(RTT);
            sender.cc.onAck(100, 100, RTT);
        }
    }
}
