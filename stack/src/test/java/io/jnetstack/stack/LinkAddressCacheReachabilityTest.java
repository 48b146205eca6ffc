package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static io.jnetstack.stack.LinkAddressCacheFixture.NEW_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.stack.LinkAddressCache.State;
import io.jnetstack.stack.LinkAddressCacheFixture.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neighbour unreachability detection (RFC 4861 §7.3 with Linux's ARP defaults): REACHABLE → STALE
 * → DELAY → PROBE → REACHABLE or FAILED, confirmations from answers and from the upper layer.
 */
class LinkAddressCacheReachabilityTest {
    private static final long SECOND = 1_000_000_000L;

    private final LinkAddressCacheFixture f = new LinkAddressCacheFixture();

    /** A reachable entry whose reachable time has run out, used once at {@code stale + 1 s}: in DELAY. */
    private void delayed() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(31));
        f.send(HOST, 1);
    }

    @Test
    void answeredEntryIsReachableForTheReachableTime() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(30));
        assertEquals(State.REACHABLE, f.cache.state(HOST));
    }

    @Test
    void entryIsStaleOnceItsReachableTimeRunsOut() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(31));
        assertEquals(State.STALE, f.cache.state(HOST));
    }

    @Test
    void sendToAStaleEntryUsesTheCachedAddressAtOnceAndEntersDelayWithoutARequest() {
        delayed();
        assertEquals(List.of(MAC), f.sent.stream().map(LinkAddressCacheFixture.Sent::destination).toList());
        assertEquals(State.DELAY, f.cache.state(HOST));
        assertEquals(List.of(), f.requests);
    }

    @Test
    void delayEndsInAUnicastProbeToTheCachedAddressAfterFiveSeconds() {
        delayed();
        f.advance(Duration.ofMillis(4999));
        assertEquals(List.of(), f.requests);
        f.advance(Duration.ofMillis(1));
        assertEquals(State.PROBE, f.cache.state(HOST));
        assertEquals(List.of(new Request(HOST, MAC, 36 * SECOND)), f.requests);
    }

    @Test
    void upperLayerConfirmationDuringDelayMakesTheEntryReachableWithoutProbing() {
        delayed();
        f.cache.confirm(HOST);
        f.advance(Duration.ofSeconds(10));
        assertEquals(State.REACHABLE, f.cache.state(HOST));
        assertEquals(List.of(), f.requests);
    }

    @Test
    void upperLayerConfirmationKeepsAnEntryReachable() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(20));
        f.cache.confirm(HOST);
        f.advance(Duration.ofSeconds(20));
        assertEquals(State.REACHABLE, f.cache.state(HOST));
    }

    @Test
    void probesAreUnicastEverySecondUpToThree() {
        delayed();
        f.advance(Duration.ofSeconds(5 + 10));
        assertEquals(List.of(new Request(HOST, MAC, 36 * SECOND), new Request(HOST, MAC, 37 * SECOND),
                new Request(HOST, MAC, 38 * SECOND)), f.requests);
        assertEquals(3, f.cache.counters().probesSent());
        assertEquals(0, f.cache.counters().requestsSent());
    }

    @Test
    void packetsSentWhileProbingStillGoToTheCachedAddress() {
        delayed();
        f.advance(Duration.ofSeconds(6));
        f.send(HOST, 2);
        assertEquals(List.of(1, 2), f.sentIds());
        assertEquals(MAC, f.sent.get(1).destination());
    }

    @Test
    void answerToAProbeMakesTheEntryReachableAndStopsProbing() {
        delayed();
        f.advance(Duration.ofSeconds(5));
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(10));
        assertEquals(State.REACHABLE, f.cache.state(HOST));
        assertEquals(1, f.requests.size());
    }

    @Test
    void unansweredProbesFailTheEntryOneIntervalAfterTheLastProbe() {
        delayed();
        f.advance(Duration.ofMillis(5000 + 2999));
        assertEquals(State.PROBE, f.cache.state(HOST));
        f.advance(Duration.ofMillis(1));
        assertEquals(State.FAILED, f.cache.state(HOST));
        assertEquals(1, f.cache.counters().failed());
    }

    @Test
    void afterFailedProbingTheNextPacketAsksTheWholeLinkAtOnceAndIsHeld() {
        delayed();
        f.advance(Duration.ofSeconds(8));
        f.send(HOST, 2);
        assertEquals(State.INCOMPLETE, f.cache.state(HOST));
        assertEquals(new Request(HOST, 39 * SECOND), f.requests.get(3));
        f.cache.update(HOST, NEW_MAC);
        assertEquals(List.of(1, 2), f.sentIds());
        assertEquals(NEW_MAC, f.sent.get(1).destination());
    }

    @Test
    void suspicionFromTheUpperLayerProbesAReachableEntryAtOnce() {
        f.cache.update(HOST, MAC);
        f.advance(Duration.ofSeconds(1));
        f.cache.suspect(HOST);
        assertEquals(State.PROBE, f.cache.state(HOST));
        assertEquals(List.of(new Request(HOST, MAC, SECOND)), f.requests);
    }

    @Test
    void suspicionWhileProbingDoesNotRestartTheProbes() {
        f.cache.update(HOST, MAC);
        f.cache.suspect(HOST);
        f.advance(Duration.ofSeconds(1));
        f.cache.suspect(HOST);
        f.advance(Duration.ofSeconds(2));
        assertEquals(3, f.requests.size());
        assertEquals(State.FAILED, f.cache.state(HOST));
    }

    @Test
    void suspicionOfAnUnknownOrUnresolvedAddressDoesNothing() {
        f.cache.suspect(HOST);
        f.send(HOST, 1);
        f.cache.suspect(HOST);
        assertEquals(List.of(new Request(HOST, 0)), f.requests);
        assertEquals(State.INCOMPLETE, f.cache.state(HOST));
    }

    @Test
    void unconfirmedNewAddressReplacesTheOldOneAsStale() {
        f.cache.update(HOST, MAC);
        f.cache.updateUnconfirmed(HOST, NEW_MAC);
        assertEquals(State.STALE, f.cache.state(HOST));
        assertEquals(NEW_MAC, f.cache.lookup(HOST));
    }

    @Test
    void unconfirmedSameAddressLeavesAReachableEntryReachable() {
        f.cache.update(HOST, MAC);
        f.cache.updateUnconfirmed(HOST, MAC);
        assertEquals(State.REACHABLE, f.cache.state(HOST));
    }

    @Test
    void unconfirmedAnswerToAnUnresolvedEntryFlushesItsPacketsAndLeavesItStale() {
        f.send(HOST, 1);
        f.cache.updateUnconfirmed(HOST, MAC);
        assertEquals(List.of(1), f.sentIds());
        assertEquals(State.STALE, f.cache.state(HOST));
        assertEquals(0, f.clock.pendingTimers());
    }
}
