package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import static io.jnetstack.stack.LinkAddressCacheFixture.HOST;
import static io.jnetstack.stack.LinkAddressCacheFixture.MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounded memory: held packets per entry and entries per cache. */
class LinkAddressCacheLimitsTest {
    @Test
    void heldPacketsBeyondTheCapDropTheOldestAndAreCounted() {
        LinkAddressCacheFixture f = new LinkAddressCacheFixture(LinkAddressCacheFixture.config(2, 512));
        f.send(HOST, 1);
        f.send(HOST, 2);
        f.send(HOST, 3);
        f.cache.update(HOST, MAC);
        assertEquals(List.of(2, 3), f.sentIds());
        assertEquals(1, f.cache.counters().heldPacketsDropped());
    }

    @Test
    void defaultHeldPacketCapIsLinuxsUnresQlenOf101() {
        LinkAddressCacheFixture f = new LinkAddressCacheFixture();
        for (int i = 0; i < 110; i++) {
            f.send(HOST, i);
        }
        f.cache.update(HOST, MAC);
        assertEquals(101, f.sent.size());
    }

    @Test
    void entryCapEvictsTheOldestSettledEntry() {
        LinkAddressCacheFixture f = new LinkAddressCacheFixture(LinkAddressCacheFixture.config(16, 2));
        IpAddress a = IpAddress.parse("10.0.0.10");
        IpAddress b = IpAddress.parse("10.0.0.11");
        IpAddress c = IpAddress.parse("10.0.0.12");
        f.cache.update(a, MAC);
        f.clock.advanceNanos(1);
        f.cache.update(b, MAC);
        f.cache.update(c, MAC);
        assertNull(f.cache.state(a));
        assertEquals(2, f.cache.size());
    }

    @Test
    void entryCapSparesEntriesStillResolving() {
        LinkAddressCacheFixture f = new LinkAddressCacheFixture(LinkAddressCacheFixture.config(16, 2));
        IpAddress settled = IpAddress.parse("10.0.0.11");
        f.send(HOST, 1);
        f.clock.advanceNanos(1);
        f.cache.update(settled, MAC);
        f.cache.update(IpAddress.parse("10.0.0.12"), MAC);
        assertEquals(LinkAddressCache.State.INCOMPLETE, f.cache.state(HOST));
        assertNull(f.cache.state(settled));
    }

    @Test
    void evictingAResolvingEntryDropsItsPacketsAndFailsItsListeners() {
        LinkAddressCacheFixture f = new LinkAddressCacheFixture(LinkAddressCacheFixture.config(16, 1));
        f.send(HOST, 1);
        f.cache.addListener(HOST, f.listener);
        f.cache.update(IpAddress.parse("10.0.0.12"), MAC);
        assertEquals(List.of("failed"), f.events);
        assertEquals(1, f.cache.counters().heldPacketsDropped());
        assertNull(f.cache.state(HOST));
    }
}
