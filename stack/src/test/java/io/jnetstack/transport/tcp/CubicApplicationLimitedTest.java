package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9438 §5.8 and RFC 7661: time spent not using the window earns no growth, neither at once nor
 * later through a cubic curve that ran on while the sender idled.
 */
class CubicApplicationLimitedTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;

    private ManualClock clock;
    private Cubic cubic;
    private FullWindowSender sender;

    @BeforeEach
    void loseAtOneHundredSegmentsAndSendFullWindowsForOneSecond() {
        clock = new ManualClock();
        cubic = new Cubic(MSS, clock);
        sender = new FullWindowSender(clock, cubic, RTT);
        sender.slowStartTo(100);
        cubic.onEnterRecovery(cubic.cwnd());
        sender.run(1);
    }

    @Test
    void acksWhileApplicationLimitedLeaveCwnd() {
        int before = cubic.cwnd();

        idleTwoSecondsWithSmallWrites();

        assertEquals(before, cubic.cwnd());
    }

    @Test
    void idleTimeDoesNotAdvanceTheCubicCurve() {
        ManualClock referenceClock = new ManualClock();
        Cubic reference = new Cubic(MSS, referenceClock);
        FullWindowSender referenceSender = new FullWindowSender(referenceClock, reference, RTT);
        referenceSender.slowStartTo(100);
        reference.onEnterRecovery(reference.cwnd());
        referenceSender.run(1);

        idleTwoSecondsWithSmallWrites();
        double[] afterIdle = sender.run(0.5);
        double[] withoutIdle = referenceSender.run(0.5);

        assertEquals(withoutIdle[4], afterIdle[4], 0.5);
    }

    /** One small segment every RTT for two seconds: the window is far from used. */
    private void idleTwoSecondsWithSmallWrites() {
        for (int i = 0; i < 20; i++) {
            clock.advanceNanos(RTT);
            cubic.onAck(100, 100, RTT);
        }
    }
}
