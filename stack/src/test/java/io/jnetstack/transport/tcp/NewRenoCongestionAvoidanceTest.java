package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 5681 §3.1 congestion avoidance with RFC 3465 §2.1 byte counting. */
class NewRenoCongestionAvoidanceTest {
    private static final int MSS = 1000;
    private static final long NO_RTT = -1;

    private final NewReno cc = new NewReno(MSS);

    @BeforeEach
    void enterCongestionAvoidanceAtTwentySegments() {
        cc.onEnterRecovery(40 * MSS);
        cc.onExitRecovery();
    }

    @Test
    void windowGrowsOneSegmentPerWindowOfBytesAcked() {
        for (int i = 0; i < 20; i++) {
            cc.onAck(MSS, cc.cwnd(), NO_RTT);
        }

        assertEquals(21 * MSS, cc.cwnd());
    }

    @Test
    void windowDoesNotGrowBeforeAFullWindowIsAcked() {
        for (int i = 0; i < 19; i++) {
            cc.onAck(MSS, cc.cwnd(), NO_RTT);
        }

        assertEquals(20 * MSS, cc.cwnd());
    }

    @Test
    void windowGrowsOneSegmentPerRoundTrip() {
        FullWindowSender sender = new FullWindowSender(new ManualClock(), cc, 50_000_000L);

        for (int i = 0; i < 10; i++) {
            sender.roundTrip();
        }

        assertEquals(30 * MSS, cc.cwnd());
    }

    @Test
    void ackWhenTheSenderCouldHaveSentAnotherSegmentDoesNotCount() {
        for (int i = 0; i < 40; i++) {
            cc.onAck(MSS, cc.cwnd() - MSS, NO_RTT);
        }

        assertEquals(20 * MSS, cc.cwnd());
    }

    @Test
    void lossForgetsBytesCountedTowardsTheNextIncrease() {
        for (int i = 0; i < 19; i++) {
            cc.onAck(MSS, cc.cwnd(), NO_RTT);
        }
        cc.onEnterRecovery(40 * MSS);
        cc.onExitRecovery();

        cc.onAck(MSS, cc.cwnd(), NO_RTT);

        assertEquals(20 * MSS, cc.cwnd());
    }
}
