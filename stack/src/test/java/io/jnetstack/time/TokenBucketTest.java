package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bucket allows a burst, then one token per refill interval. */
class TokenBucketTest {
    private final ManualClock clock = new ManualClock();

    private static int drain(TokenBucket bucket) {
        int n = 0;
        while (bucket.tryAcquire()) {
            n++;
        }
        return n;
    }

    @Test
    void aFullBucketAllowsExactlyTheBurst() {
        assertEquals(5, drain(new TokenBucket(clock, 10, 5)));
    }

    @Test
    void icmpDefaultAllowsFiftyAtOnce() {
        assertEquals(50, drain(TokenBucket.icmpDefault(clock)));
    }

    @Test
    void anEmptyBucketRefusesUntilATokenHasAccrued() {
        TokenBucket bucket = TokenBucket.icmpDefault(clock);
        drain(bucket);
        clock.advance(Duration.ofMillis(999));
        assertFalse(bucket.tryAcquire());
    }

    @Test
    void oneIntervalEarnsExactlyOneToken() {
        TokenBucket bucket = TokenBucket.icmpDefault(clock);
        drain(bucket);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, drain(bucket));
    }

    @Test
    void partialIntervalsAddUp() {
        TokenBucket bucket = new TokenBucket(clock, 10, 1);
        drain(bucket);
        clock.advance(Duration.ofMillis(60));
        assertFalse(bucket.tryAcquire());
        clock.advance(Duration.ofMillis(40));
        assertTrue(bucket.tryAcquire());
    }

    @Test
    void creditNeverExceedsTheBurst() {
        TokenBucket bucket = new TokenBucket(clock, 10, 3);
        clock.advance(Duration.ofHours(1));
        assertEquals(3, drain(bucket));
    }

    @Test
    void rateOverLongRunMatchesTokensPerSecond() {
        TokenBucket bucket = new TokenBucket(clock, 100, 1);
        drain(bucket);
        int granted = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            clock.advance(Duration.ofMillis(1));
            granted += bucket.tryAcquire() ? 1 : 0;
        }
        assertEquals(1000, granted);
    }

    @Test
    void zeroRateIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(clock, 0, 1));
    }

    @Test
    void zeroBurstIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(clock, 1, 0));
    }
}
