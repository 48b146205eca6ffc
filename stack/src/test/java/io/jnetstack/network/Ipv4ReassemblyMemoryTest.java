package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Bytes held in incomplete datagrams stay under the limit by evicting the oldest datagrams. */
class Ipv4ReassemblyMemoryTest {
    private final ReassemblyFixture f = new ReassemblyFixture(3000, 3000);

    @Test
    void heldBytesCountAcceptedFragmentPayloads() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 800, true);
        assertEquals(2280, f.reassembler.heldBytes());
    }

    @Test
    void goingOverTheLimitEvictsTheOldestDatagram() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 1480, true);
        f.add(3, 0, 1480, true);
        assertEquals(2, f.reassembler.pendingDatagrams());
        assertEquals(1, f.counters().memoryEvicted());
        assertEquals(2960, f.reassembler.heldBytes());
    }

    @Test
    void theNewestDatagramSurvivesEvictionAndCanComplete() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 1480, true);
        f.add(3, 0, 1480, true);
        assertArrayEquals(f.payload, f.add(3, 1480, 1520, false).toByteArray());
    }

    @Test
    void evictionCancelsTheEvictedDatagramsTimer() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 1480, true);
        f.add(3, 0, 1480, true);
        assertEquals(2, f.clock.pendingTimers());
    }

    @Test
    void aDatagramBiggerThanTheLimitOnItsOwnIsEvicted() {
        ReassemblyFixture small = new ReassemblyFixture(3000, 1000);
        small.add(0, 1480, true);
        assertEquals(0, small.reassembler.pendingDatagrams());
        assertEquals(1, small.counters().memoryEvicted());
    }
}
