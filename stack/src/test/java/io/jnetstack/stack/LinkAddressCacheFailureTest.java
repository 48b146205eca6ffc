package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No answer: the entry fails after the last retry, drops what it held, and holds the failure a while. */
class LinkAddressCacheFailureTest {
    private final LinkAddressCacheFixture f = new LinkAddressCacheFixture();

    @Test
    void entryIsStillIncompleteJustBeforeTheLastRequestTimesOut() {
        f.send(HOST, 1);
        f.advance(Duration.ofMillis(2999));
        assertEquals(LinkAddressCache.State.INCOMPLETE, f.cache.state(HOST));
    }

    @Test
    void entryFailsOneRetryIntervalAfterTheLastRequest() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3));
        assertEquals(LinkAddressCache.State.FAILED, f.cache.state(HOST));
    }

    @Test
    void failureDropsHeldPacketsAndCountsThem() {
        f.send(HOST, 1);
        f.send(HOST, 2);
        f.advance(Duration.ofSeconds(3));
        assertEquals(List.of(), f.sent);
        assertEquals(new LinkAddressCache.Counters(0, 1, 2, 3, 0), f.cache.counters());
    }

    @Test
    void failureTellsWaitingListeners() {
        f.cache.addListener(HOST, f.listener);
        f.advance(Duration.ofSeconds(3));
        assertEquals(List.of("failed"), f.events);
    }

    @Test
    void sendDuringTheFailedHoldIsDroppedWithoutARequest() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3));
        f.send(HOST, 2);
        assertEquals(3, f.requests.size());
        assertEquals(2, f.cache.counters().heldPacketsDropped());
    }

    @Test
    void listenerAddedDuringTheFailedHoldIsToldAtOnce() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3));
        f.cache.addListener(HOST, f.listener);
        assertEquals(List.of("failed"), f.events);
    }

    @Test
    void sendAfterTheFailedHoldResolvesAgain() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3 + 3));
        f.send(HOST, 2);
        assertEquals(4, f.requests.size());
        assertEquals(LinkAddressCache.State.INCOMPLETE, f.cache.state(HOST));
    }

    @Test
    void lateAnswerMakesAFailedEntryReachable() {
        f.send(HOST, 1);
        f.advance(Duration.ofSeconds(3));
        f.cache.update(HOST, MAC);
        f.send(HOST, 2);
        assertEquals(List.of(2), f.sentIds());
    }
}
