package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static io.jnetstack.stack.LinkAddressCacheFixture.NEW_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A resolved address older than its lifetime is stale: still used, but resolved again. */
class LinkAddressCacheExpiryTest {
    private final LinkAddressCacheFixture f = new LinkAddressCacheFixture();

    @ParameterizedTest(name = "{0} s after an update: {1}")
    @CsvSource({"60, REACHABLE", "61, STALE"})
    void entryIsReachableForItsLifetimeThenStale(int seconds, LinkAddressCache.State expected) {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(seconds));
        assertEquals(expected, f.cache.state(HOST));
    }

    @Test
    void sendToAStaleEntryUsesTheOldAddressAtOnceAndRequestsAgain() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(61));
        f.send(HOST, 1);
        assertEquals(MAC, f.sent.get(0).destination());
        assertEquals(List.of(new LinkAddressCacheFixture.Request(HOST, 61_000_000_000L)), f.requests);
    }

    @Test
    void answerToTheReResolutionRefreshesTheAddress() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(61));
        f.send(HOST, 1);
        f.cache.update(HOST, NEW_MAC);
        f.send(HOST, 2);
        assertEquals(List.of(MAC, NEW_MAC), f.sent.stream().map(LinkAddressCacheFixture.Sent::destination).toList());
        assertEquals(LinkAddressCache.State.REACHABLE, f.cache.state(HOST));
    }

    @Test
    void sendsWhileReResolvingSendNoExtraRequests() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(61));
        f.send(HOST, 1);
        f.send(HOST, 2);
        assertEquals(1, f.requests.size());
        assertEquals(List.of(1, 2), f.sentIds());
    }

    @Test
    void unansweredReResolutionFailsTheEntry() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(61));
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3));
        assertEquals(LinkAddressCache.State.FAILED, f.cache.state(HOST));
        f.send(HOST, 2);
        assertEquals(List.of(1), f.sentIds());
    }

    @Test
    void updateRestartsTheLifetime() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(50));
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(50));
        assertEquals(LinkAddressCache.State.REACHABLE, f.cache.state(HOST));
    }
}
