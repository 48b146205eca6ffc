package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SYN cookies: what goes into the ISN comes back out, and nothing else gets through. */
class SynCookiesTest {
    private static final IpAddress LOCAL = IpAddress.parse("10.0.0.2");
    private static final IpAddress REMOTE = IpAddress.parse("192.0.2.7");
    private static final int PEER_ISN = 0x8000_0123;
    private static final byte[] SECRET = "cookie secret 16".getBytes(StandardCharsets.US_ASCII);

    private final ManualClock clock = new ManualClock();
    private final SynCookies cookies = new SynCookies(clock, SECRET);

    private int cookieFor(int peerMss) {
        return cookies.encode(LOCAL, 80, REMOTE, 40000, PEER_ISN, peerMss);
    }

    private int decode(int ourIsn) {
        return cookies.decodeMss(LOCAL, 80, REMOTE, 40000, PEER_ISN, ourIsn);
    }

    @ParameterizedTest
    @CsvSource({"1460, 1460", "8960, 1460", "1440, 1440", "1452, 1440", "1300, 1300", "1400, 1300",
        "1220, 536", "536, 536", "100, 536", "0, 536"})
    void cookieCarriesTheLargestTableMssNotAboveThePeers(int peerMss, int expected) {
        assertEquals(expected, decode(cookieFor(peerMss)));
    }

    @Test
    void cookieMssMatchesWhatTheCookieCarries() {
        assertEquals(1300, SynCookies.cookieMss(1400));
    }

    @Test
    void cookieFromTheSameSecretValidatesInAnotherInstance() {
        int isn = cookieFor(1460);

        assertEquals(1460, new SynCookies(clock, SECRET.clone()).decodeMss(LOCAL, 80, REMOTE, 40000, PEER_ISN, isn));
    }

    @Test
    void cookieIsStillValidJustBeforeTwoPeriodsPass() {
        int isn = cookieFor(1460);
        clock.advance(Duration.ofSeconds(119));

        assertEquals(1460, decode(isn));
    }

    @Test
    void cookieExpiresAfterTwoPeriods() {
        int isn = cookieFor(1460);
        clock.advance(Duration.ofSeconds(120));

        assertEquals(-1, decode(isn));
    }

    @Test
    void cookieFromLateInAPeriodExpiresAtTheEndOfTheNextPeriod() {
        clock.advance(Duration.ofSeconds(59));
        int isn = cookieFor(1460);
        clock.advance(Duration.ofSeconds(61));

        assertEquals(-1, decode(isn));
    }

    @Test
    void cookieIsRejectedWhenTheCounterWrapsAroundToTheSameValue() {
        int isn = cookieFor(1460);
        clock.advance(Duration.ofMinutes(256));

        assertEquals(-1, decode(isn));
    }

    @Test
    void everySingleBitFlipOfTheCookieIsRejected() {
        int isn = cookieFor(1460);
        for (int bit = 0; bit < 32; bit++) {
            assertEquals(-1, decode(isn ^ (1 << bit)), "bit " + bit);
        }
    }

    @Test
    void cookieIsRejectedForAnotherPeerIsn() {
        int isn = cookieFor(1460);

        assertEquals(-1, cookies.decodeMss(LOCAL, 80, REMOTE, 40000, PEER_ISN + 1, isn));
    }

    @Test
    void cookieIsRejectedForAnotherRemotePort() {
        int isn = cookieFor(1460);

        assertEquals(-1, cookies.decodeMss(LOCAL, 80, REMOTE, 40001, PEER_ISN, isn));
    }

    @Test
    void cookieIsRejectedForAnotherRemoteAddress() {
        int isn = cookieFor(1460);

        assertEquals(-1, cookies.decodeMss(LOCAL, 80, IpAddress.parse("192.0.2.8"), 40000, PEER_ISN, isn));
    }

    @Test
    void cookieIsRejectedUnderAnotherSecret() {
        int isn = cookieFor(1460);
        byte[] other = SECRET.clone();
        other[15] ^= 1;

        assertEquals(-1, new SynCookies(clock, other).decodeMss(LOCAL, 80, REMOTE, 40000, PEER_ISN, isn));
    }

    @Test
    void randomlyGuessedCookiesAreRejected() {
        Random guesses = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            if (decode(guesses.nextInt()) != -1) {
                accepted++;
            }
        }

        assertEquals(0, accepted);
    }
}
