package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An incomplete datagram is dropped when its timeout (30 s by default) runs out. */
class Ipv4ReassemblyTimeoutTest {
    private final ReassemblyFixture f = new ReassemblyFixture(3000);

    @Test
    void incompleteDatagramSurvivesUntilJustBeforeTheTimeout() {
        f.add(0, 1480, true);
        f.clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertEquals(1, f.reassembler.pendingDatagrams());
    }

    @Test
    void incompleteDatagramIsDroppedAtTheTimeoutAndCounted() {
        f.add(0, 1480, true);
        f.clock.advance(Duration.ofSeconds(30));
        assertEquals(0, f.reassembler.pendingDatagrams());
        assertEquals(0, f.reassembler.heldBytes());
        assertEquals(1, f.counters().timedOut());
    }

    @Test
    void timeoutRunsFromTheFirstFragmentNotTheLatest() {
        f.add(0, 1480, true);
        f.clock.advance(Duration.ofSeconds(20));
        f.add(1480, 8, true);
        f.clock.advance(Duration.ofSeconds(10));
        assertEquals(1, f.counters().timedOut());
    }

    @Test
    void fragmentsAfterTheTimeoutStartAnewAndCannotComplete() {
        f.add(0, 1480, true);
        f.clock.advance(Duration.ofSeconds(30));
        assertNull(f.add(1480, 1520, false));
        assertEquals(1, f.reassembler.pendingDatagrams());
    }

    @Test
    void timeoutIsConfigurable() {
        ManualClock clock = new ManualClock();
        Ipv4Reassembler r = new Ipv4Reassembler(clock, Duration.ofSeconds(60).toNanos(), 1 << 20);
        r.add(1, 2, 17, 3, 0, true, PacketBuffer.wrap(new byte[8], 0, 8));
        clock.advance(Duration.ofSeconds(59));
        assertEquals(1, r.pendingDatagrams());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, r.pendingDatagrams());
    }
}
