package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link CongestionControl#setMss} does to the window. */
class CongestionControlMssChangeTest {
    private static CongestionControl create(String name, int mss) {
        return CongestionControl.create(name, mss, new ManualClock());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeBeforeAnyTrafficRederivesTheInitialWindow(String name) {
        CongestionControl cc = create(name, 536);

        cc.setMss(1460);

        assertEquals(14_600, cc.cwnd());
        assertEquals(1460, cc.mss());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeAfterTrafficKeepsTheWindowInSegments(String name) {
        CongestionControl cc = create(name, 1000);
        cc.onEnterRecovery(40_000);
        int segments = cc.cwnd() / 1000;

        cc.setMss(500);

        assertEquals(segments * 500, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeAfterTrafficKeepsSsthreshInSegments(String name) {
        CongestionControl cc = create(name, 1000);
        cc.onEnterRecovery(40_000);
        int segments = cc.ssthresh() / 1000;

        cc.setMss(500);

        assertEquals(segments * 500, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void mssChangeLeavesAnInfiniteSsthreshInfinite(String name) {
        CongestionControl cc = create(name, 1000);
        cc.onAck(1000, cc.cwnd(), -1);

        cc.setMss(500);

        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void nonPositiveMssIsRejected(String name) {
        CongestionControl cc = create(name, 1000);

        assertThrows(IllegalArgumentException.class, () -> cc.setMss(0));
    }
}
