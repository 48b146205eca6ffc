package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Window scale and SACK-permitted ride in a SYN cookie's TSval. */
class SynCookieOptionsTest {
    @Test
    void optionsSurviveTheRoundTripThroughTsVal() {
        SynCookieOptions options = new SynCookieOptions(7, true);
        assertEquals(options, SynCookieOptions.decode(options.encodeInto(123_456_789)));
    }

    @Test
    void absentWindowScaleAndSackSurviveToo() {
        SynCookieOptions options = new SynCookieOptions(-1, false);
        assertEquals(options, SynCookieOptions.decode(options.encodeInto(-5)));
    }

    @Test
    void encodedTsValIsNeverAheadOfTheClockNorFarBehindIt() {
        for (int now = -200; now < 200; now++) {
            int tsVal = new SynCookieOptions(14, true).encodeInto(now);
            assertTrue(SeqNum.leq(tsVal, now) && now - tsVal < 64, "tsVal " + tsVal + " for clock " + now);
        }
    }
}
