package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6928 §2 initial window and RFC 5681 §3.1 initial ssthresh, for every algorithm. */
class CongestionControlInitialWindowTest {
    @ParameterizedTest
    @CsvSource({"536, 5360", "1460, 14600", "4000, 14600", "9000, 18000"})
    void initialWindowIsTenSegmentsCappedAt14600ButAtLeastTwoSegments(int mss, int expected) {
        assertEquals(expected, CongestionControl.initialWindow(mss));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void newControllerStartsAtTheInitialWindow(String name) {
        assertEquals(14_600, CongestionControl.create(name, 1460, new ManualClock()).cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void initialSsthreshIsInfiniteSoTheConnectionStartsInSlowStart(String name) {
        CongestionControl cc = CongestionControl.create(name, 1460, new ManualClock());

        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        assertTrue(cc.inSlowStart());
    }
}
