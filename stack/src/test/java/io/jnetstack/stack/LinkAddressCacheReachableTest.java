package io.jnetstack.stack;

import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A known address: packets go out at once, no requests. */
class LinkAddressCacheReachableTest {
    private final LinkAddressCacheFixture f = new LinkAddressCacheFixture();

    @Test
    void sendToAReachableAddressTransmitsImmediately() {
        f.cache.update(HOST, MAC);
        f.send(HOST, 1);
        assertEquals(List.of(new LinkAddressCacheFixture.Sent(MAC, f.sent.get(0).packet())), f.sent);
        assertEquals(List.of(1), f.sentIds());
    }

    @Test
    void sendToAReachableAddressSendsNoRequest() {
        f.cache.update(HOST, MAC);
        f.send(HOST, 1);
        assertEquals(List.of(), f.requests);
    }

    @Test
    void updateOfAnUnknownAddressMakesItReachable() {
        f.cache.update(HOST, MAC);
        assertEquals(LinkAddressCache.State.REACHABLE, f.cache.state(HOST));
        assertEquals(MAC, f.cache.lookup(HOST));
    }

    @Test
    void unknownAddressHasNoStateAndNoLookup() {
        assertNull(f.cache.state(HOST));
        assertNull(f.cache.lookup(HOST));
    }

    @Test
    void listenerOnAReachableAddressIsCalledAtOnce() {
        f.cache.update(HOST, MAC);
        f.cache.addListener(HOST, f.listener);
        assertEquals(List.of("resolved " + MAC), f.events);
    }
}
