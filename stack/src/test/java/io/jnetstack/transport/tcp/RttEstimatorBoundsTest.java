package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 6298 §2.4, §2.5 and the clock granularity G of §2: the limits on the computed RTO. */
class RttEstimatorBoundsTest {
    private static final long MS = 1_000_000L;

    @Test
    void rtoIsNeverBelowTheMinimum() {
        RttEstimator rtt = RttEstimator.withDefaults();
        rtt.sample(MS);

        assertEquals(RttEstimator.DEFAULT_MIN_RTO_NANOS, rtt.rtoNanos());
    }

    @Test
    void rtoIsNeverAboveTheMaximum() {
        RttEstimator rtt = RttEstimator.withDefaults();
        rtt.sample(200_000 * MS);

        assertEquals(RttEstimator.DEFAULT_MAX_RTO_NANOS, rtt.rtoNanos());
    }

    @Test
    void varianceTermIsAtLeastTheClockGranularity() {
        RttEstimator rtt = new RttEstimator(1, 120_000 * MS);
        for (int i = 0; i < 100; i++) {
            rtt.sample(10 * MS);
        }

        assertEquals(10 * MS + RttEstimator.CLOCK_GRANULARITY_NANOS, rtt.rtoNanos());
    }

    @Test
    void initialRtoIsClampedToAMaximumBelowOneSecond() {
        assertEquals(500 * MS, new RttEstimator(MS, 500 * MS).rtoNanos());
    }

    @Test
    void initialRtoIsRaisedToAMinimumAboveOneSecond() {
        assertEquals(3000 * MS, new RttEstimator(3000 * MS, 60_000 * MS).rtoNanos());
    }

    @Test
    void defaultsAreLinuxsMinimumAndMaximum() {
        assertEquals(200 * MS, RttEstimator.DEFAULT_MIN_RTO_NANOS);
        assertEquals(120_000 * MS, RttEstimator.DEFAULT_MAX_RTO_NANOS);
    }

    @Test
    void minimumAboveMaximumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(2 * MS, MS));
    }

    @Test
    void nonPositiveMinimumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0, MS));
    }
}
