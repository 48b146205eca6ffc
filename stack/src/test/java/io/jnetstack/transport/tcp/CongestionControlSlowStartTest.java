package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5681 §3.1 slow start with RFC 3465 byte counting, the same for every algorithm. */
class CongestionControlSlowStartTest {
    private static final int MSS = 1000;
    private static final long NO_RTT = -1;

    private static CongestionControl create(String name) {
        return CongestionControl.create(name, MSS, new ManualClock());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void ackOfOneSegmentGrowsCwndByOneSegment(String name) {
        CongestionControl cc = create(name);

        cc.onAck(MSS, cc.cwnd(), NO_RTT);

        assertEquals(11 * MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void ackOfPartOfASegmentGrowsCwndByThoseBytes(String name) {
        CongestionControl cc = create(name);

        cc.onAck(300, cc.cwnd(), NO_RTT);

        assertEquals(10 * MSS + 300, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void stretchAckGrowsCwndByAtMostTwoSegments(String name) {
        CongestionControl cc = create(name);

        cc.onAck(6 * MSS, cc.cwnd(), NO_RTT);

        assertEquals(12 * MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void windowDoublesEachRoundTripWhenEverySegmentIsAcked(String name) {
        CongestionControl cc = create(name);
        FullWindowSender sender = new FullWindowSender(new ManualClock(), cc, 10_000_000L);

        sender.roundTrip();

        assertEquals(20 * MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void slowStartStopsExactlyAtSsthresh(String name) {
        CongestionControl cc = create(name);
        cc.onRetransmitTimeout(40 * MSS); // cwnd 1 MSS; ssthresh 20 (NewReno) or 28 (CUBIC) MSS

        while (cc.inSlowStart()) {
            cc.onAck(MSS, cc.cwnd(), NO_RTT);
        }

        assertEquals(cc.ssthresh(), cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void ackWhileLessThanHalfTheWindowWasInFlightDoesNotGrowCwnd(String name) {
        CongestionControl cc = create(name);

        cc.onAck(MSS, 4 * MSS, NO_RTT);

        assertEquals(10 * MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void ackWithNoBytesIsRejected(String name) {
        CongestionControl cc = create(name);

        assertThrows(IllegalArgumentException.class,
                () -> cc.onAck(0, cc.cwnd(), NO_RTT));
    }
}
