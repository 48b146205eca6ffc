package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Responses to loss: RFC 5681 §3.1–§3.2 for NewReno (β = 1/2), RFC 9438 §4.6 and §4.8 for CUBIC
 * (β = 0.7).
 */
class CongestionControlLossResponseTest {
    private static final int MSS = 1000;
    private static final int FLIGHT = 40 * MSS;

    private static CongestionControl create(String name) {
        return CongestionControl.create(name, MSS, new ManualClock());
    }

    /** The two congestion events that cut the window: fast retransmit and a retransmission timeout. */
    enum CongestionEvent {
        RECOVERY {
            @Override
            void applyTo(CongestionControl cc) {
                cc.onEnterRecovery(FLIGHT);
            }
        },
        TIMEOUT {
            @Override
            void applyTo(CongestionControl cc) {
                cc.onRetransmitTimeout(FLIGHT);
            }
        };

        abstract void applyTo(CongestionControl cc);
    }

    /** RFC 5681 eq. (4) and §3.1's loss window; RFC 9438 §4.6. */
    @ParameterizedTest(name = "{0} after {1}: ssthresh {2}, cwnd {3}")
    @CsvSource({
        "newreno, RECOVERY, 20000, 20000",
        "newreno, TIMEOUT,  20000, 1000",
        "cubic,   RECOVERY, 28000, 28000",
        "cubic,   TIMEOUT,  28000, 1000",
    })
    void congestionEventSetsSsthreshToBetaTimesFlightAndCutsCwnd(String name, CongestionEvent event,
                                                                 int expectedSsthresh, int expectedCwnd) {
        CongestionControl cc = create(name);

        event.applyTo(cc);

        assertEquals(expectedSsthresh, cc.ssthresh());
        assertEquals(expectedCwnd, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void ssthreshIsNeverBelowTwoSegments(String name) {
        CongestionControl cc = create(name);

        cc.onEnterRecovery(MSS);

        assertEquals(2 * MSS, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void exitingRecoveryDeflatesAnInflatedWindowToSsthresh(String name) {
        CongestionControl cc = create(name);
        cc.onEnterRecovery(FLIGHT);

        cc.onExitRecovery();

        assertEquals(cc.ssthresh(), cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void exitingRecoveryWithoutACongestionEventLeavesCwnd(String name) {
        CongestionControl cc = create(name);

        cc.onExitRecovery();

        assertEquals(10 * MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void timeoutReturnsTheConnectionToSlowStart(String name) {
        CongestionControl cc = create(name);
        cc.onEnterRecovery(FLIGHT);

        cc.onRetransmitTimeout(FLIGHT);

        assertTrue(cc.inSlowStart());
    }
}
