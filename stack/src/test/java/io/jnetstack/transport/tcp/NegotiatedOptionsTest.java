package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PAWS (RFC 7323 §5.3, §5.5) and the TSval clock, as the negotiated options keep them. */
class NegotiatedOptionsTest {
    private final ManualClock clock = new ManualClock();
    private final NegotiatedOptions options = new NegotiatedOptions(clock, 1460, 7, 1_000);

    @Test
    void anOlderTimestampIsAnOldDuplicateOnceTimestampsAreNegotiated() {
        options.updateTsRecent(500);
        assertFalse(options.isOldDuplicate(499), "timestamps not negotiated: no PAWS");
        options.timestampsEnabled = true;
        assertTrue(options.isOldDuplicate(499));
        assertFalse(options.isOldDuplicate(500));
        assertFalse(options.isOldDuplicate(501));
    }

    @Test
    void aTsRecentIdleFor24DaysNoLongerRejects() {
        options.timestampsEnabled = true;
        options.updateTsRecent(500);
        clock.advance(Duration.ofDays(24).minusNanos(1));
        assertTrue(options.isOldDuplicate(499));
        clock.advanceNanos(1);
        assertFalse(options.isOldDuplicate(499));
    }

    @Test
    void tsValCountsMillisecondsFromTheConnectionsOffset() {
        int first = options.tsNow();
        clock.advance(Duration.ofMillis(25));
        assertEquals(first + 25, options.tsNow());
        assertEquals(0, options.timestampsLength());
        options.timestampsEnabled = true;
        assertEquals(NegotiatedOptions.TIMESTAMPS_OPTION_LENGTH, options.timestampsLength());
    }
}
