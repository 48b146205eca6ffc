package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.time.Clock;
import io.jnetstack.time.ManualClock;
import io.jnetstack.time.RearmableTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An entry's retry, delay and probe deadlines share one re-armable timer, and a timer run that
 * began before its deadline moved (on a real clock, the timer thread may already be on its way
 * into the cache when another thread re-arms) does nothing.
 */
class LinkAddressCacheTimerTest {
    /** A manual clock that keeps every timer action it is given, so a test can run one out of turn. */
    private static final class RecordingClock implements Clock {
        final ManualClock clock = new ManualClock();
        final List<Runnable> timerActions = new ArrayList<>();

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return clock.currentTimeMillis();
        }

        @Override
        public RearmableTimer newTimer(Runnable action) {
            timerActions.add(action);
            return clock.newTimer(action);
        }
    }

    private final RecordingClock clock = new RecordingClock();
    private final List<LinkAddress> requests = new ArrayList<>();
    private final LinkAddressCache cache = new LinkAddressCache(clock, (IpAddress target, LinkAddress probed) ->
            requests.add(probed), LinkAddressCache.Config.DEFAULT);

    @Test
    void retriesDelayAndProbesOfOneEntryReArmOneTimer() {
        cache.send(HOST, LinkAddressCacheFixture.packet(1), (destination, packet) -> { });
        clock.clock.advance(Duration.ofMillis(1500)); // a retry
        cache.updateUnconfirmed(HOST, MAC);
        cache.send(HOST, LinkAddressCacheFixture.packet(2), (destination, packet) -> { }); // STALE → DELAY
        clock.clock.advance(Duration.ofMillis(6500)); // DELAY (5 s) → PROBE, then a second probe a second later

        assertEquals(LinkAddressCache.State.PROBE, cache.state(HOST));
        assertEquals(Arrays.asList(null, null, MAC, MAC), requests);
        assertEquals(1, clock.timerActions.size(), "timers made");
    }

    @Test
    void aTimerRunThatBeganBeforeItsDeadlineMovedDoesNothing() {
        cache.send(HOST, LinkAddressCacheFixture.packet(1), (destination, packet) -> { });
        clock.clock.advance(Duration.ofMillis(500));

        // A run arrives while the retry is still 500 ms away, as one for an earlier deadline would.
        clock.timerActions.get(0).run();

        assertEquals(1, requests.size(), "requests sent");
        clock.clock.advance(Duration.ofMillis(500));
        assertEquals(2, requests.size(), "requests sent once the retry is due");
    }

    @Test
    void aTimerRunThatBeganBeforeItWasCancelledDoesNothing() {
        cache.send(HOST, LinkAddressCacheFixture.packet(1), (destination, packet) -> { });
        clock.clock.advance(Duration.ofSeconds(1)); // the retry: its timer is armed for one more second
        cache.update(HOST, MAC); // the answer cancels it
        clock.clock.advance(Duration.ofSeconds(1));

        clock.timerActions.get(0).run();

        assertEquals(2, requests.size(), "requests sent");
        assertEquals(LinkAddressCache.State.REACHABLE, cache.state(HOST));
    }
}
