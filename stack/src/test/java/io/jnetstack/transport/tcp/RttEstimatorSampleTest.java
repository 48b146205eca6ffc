package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6298 §2.1–§2.3: how samples become SRTT, RTTVAR and RTO. */
class RttEstimatorSampleTest {
    private static final long MS = 1_000_000L;

    private final RttEstimator rtt = new RttEstimator(MS, 120_000 * MS);

    @Test
    void rtoIsOneSecondBeforeAnySample() {
        assertEquals(1000 * MS, rtt.rtoNanos());
    }

    @Test
    void srttIsUnknownBeforeAnySample() {
        assertFalse(rtt.hasSample());
        assertEquals(-1, rtt.srttNanos());
    }

    @Test
    void firstSampleSetsSrttToItAndRttvarToHalfOfIt() {
        rtt.sample(100 * MS);

        assertTrue(rtt.hasSample());
        assertEquals(100 * MS, rtt.srttNanos());
        assertEquals(50 * MS, rtt.rttvarNanos());
    }

    @Test
    void firstSampleGivesRtoOfSrttPlusFourRttvar() {
        rtt.sample(100 * MS);

        assertEquals(300 * MS, rtt.rtoNanos());
    }

    @Test
    void laterSampleMovesSrttAnEighthAndRttvarAQuarterOfTheWay() {
        rtt.sample(100 * MS);
        rtt.sample(180 * MS);

        // RTTVAR = 3/4·50 + 1/4·|100 − 180| = 57.5; SRTT = 7/8·100 + 1/8·180 = 110.
        assertEquals(57_500_000L, rtt.rttvarNanos());
        assertEquals(110 * MS, rtt.srttNanos());
        assertEquals(110 * MS + 4 * 57_500_000L, rtt.rtoNanos());
    }

    @Test
    void steadySamplesConvergeSrttToThemAndShrinkRttvar() {
        rtt.sample(100 * MS);
        for (int i = 0; i < 200; i++) {
            rtt.sample(20 * MS);
        }

        assertEquals(20 * MS, rtt.srttNanos(), MS / 1000.0);
        assertTrue(rtt.rttvarNanos() < MS / 1000, "rttvar " + rtt.rttvarNanos());
    }

    @Test
    void negativeSampleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> rtt.sample(-1));
    }
}
