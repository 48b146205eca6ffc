package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6298 §5.5–§5.7: exponential backoff of the retransmission timer. */
class RttEstimatorBackoffTest {
    private static final long MS = 1_000_000L;

    private final RttEstimator rtt = new RttEstimator(200 * MS, 120_000 * MS);

    @Test
    void eachBackoffDoublesTheRto() {
        rtt.backoff();
        assertEquals(2000 * MS, rtt.rtoNanos());
        rtt.backoff();
        assertEquals(4000 * MS, rtt.rtoNanos());
    }

    @Test
    void backoffStopsAtTheMaximum() {
        for (int i = 0; i < 100; i++) {
            rtt.backoff();
        }

        assertEquals(120_000 * MS, rtt.rtoNanos());
    }

    @Test
    void backoffCountStopsGrowingAtTheMaximum() {
        for (int i = 0; i < 100; i++) {
            rtt.backoff();
        }

        // 1 s · 2^7 = 128 s is the first doubling past 120 s.
        assertEquals(7, rtt.backoffCount());
    }

    @Test
    void resetReturnsToTheEstimatedRto() {
        rtt.sample(100 * MS);
        rtt.backoff();
        rtt.backoff();

        rtt.resetBackoff();

        assertEquals(300 * MS, rtt.rtoNanos());
    }

    @Test
    void sampleDuringBackoffKeepsTheBackoffOnTheNewEstimate() {
        rtt.backoff();
        rtt.sample(100 * MS);

        assertEquals(600 * MS, rtt.rtoNanos());
    }
}
