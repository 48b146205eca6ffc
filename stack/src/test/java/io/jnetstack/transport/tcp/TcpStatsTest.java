package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.transport.tcp.TcpStats.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TcpStatsTest {
    private final TcpStats stats = new TcpStats();

    @Test
    void countersStartAtZero() {
        for (Counter c : Counter.values()) {
            assertEquals(0, stats.get(c), c.name());
        }
    }

    @Test
    void incrementRaisesOnlyThatCounter() {
        stats.increment(Counter.RESETS_SENT);

        assertEquals(1, stats.get(Counter.RESETS_SENT));
        assertEquals(0, stats.get(Counter.RESETS_RECEIVED));
    }

    @Test
    void addRaisesByTheDelta() {
        stats.add(Counter.SEGMENTS_SENT, 42);

        assertEquals(42, stats.get(Counter.SEGMENTS_SENT));
    }

    @Test
    void currentEstablishedGaugeGoesUpAndDown() {
        stats.increment(Counter.CURRENT_ESTABLISHED);
        stats.increment(Counter.CURRENT_ESTABLISHED);
        stats.decrement(Counter.CURRENT_ESTABLISHED);

        assertEquals(1, stats.get(Counter.CURRENT_ESTABLISHED));
    }

    @Test
    void ordinaryCountersCannotGoDown() {
        assertThrows(IllegalArgumentException.class, () -> stats.decrement(Counter.TIMEOUTS));
    }

    @Test
    void mapNamesCountersInCamelCase() {
        stats.increment(Counter.SYN_COOKIES_VALIDATED);

        Map<String, Long> map = stats.toMap();

        assertEquals(1L, map.get("synCookiesValidated"));
        assertEquals(0L, map.get("activeOpens"));
    }

    @Test
    void mapHoldsEveryCounterInDeclarationOrder() {
        List<String> names = List.copyOf(stats.toMap().keySet());

        assertEquals(Counter.values().length, names.size());
        assertEquals("activeOpens", names.get(0));
        Counter last = Counter.values()[Counter.values().length - 1];
        assertEquals(last.displayName(), names.get(names.size() - 1));
    }

    @Test
    void concurrentIncrementsAreAllCounted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Runnable work = () -> {
                for (int i = 0; i < 100_000; i++) {
                    stats.increment(Counter.SEGMENTS_RECEIVED);
                }
            };
            Future<?> a = pool.submit(work);
            Future<?> b = pool.submit(work);
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }

        assertEquals(200_000, stats.get(Counter.SEGMENTS_RECEIVED));
    }
}
