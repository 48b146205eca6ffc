package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Duplicates are ignored; any other overlap discards the datagram (as Linux does). */
class Ipv4ReassemblyOverlapTest {
    private final ReassemblyFixture f = new ReassemblyFixture(3000);

    @Test
    void exactDuplicateIsIgnoredAndTheDatagramStillCompletes() {
        f.add(0, 1480, true);
        assertNull(f.add(0, 1480, true));
        assertArrayEquals(f.payload, f.add(1480, 1520, false).toByteArray());
    }

    @Test
    void duplicateLastFragmentIsIgnored() {
        f.add(1480, 1520, false);
        assertNull(f.add(1480, 1520, false));
        assertArrayEquals(f.payload, f.add(0, 1480, true).toByteArray());
    }

    @Test
    void fragmentInsideAGapFreeRunOfReceivedDataIsADuplicate() {
        f.add(0, 16, true);
        f.add(16, 16, true);
        assertNull(f.add(8, 16, true));
        assertEquals(0, f.counters().overlapDropped());
        assertEquals(1, f.reassembler.pendingDatagrams());
    }

    @Test
    void partialOverlapDiscardsTheDatagramAndIsCounted() {
        f.add(0, 16, true);
        assertNull(f.add(8, 16, true));
        assertEquals(1, f.counters().overlapDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
        assertEquals(0, f.reassembler.heldBytes());
    }

    @Test
    void fragmentSpanningAnExistingOneDiscardsTheDatagram() {
        f.add(8, 8, true);
        f.add(0, 24, true);
        assertEquals(1, f.counters().overlapDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
    }

    @Test
    void fragmentCoveringDataAcrossAHoleDiscardsTheDatagram() {
        f.add(0, 8, true);
        f.add(16, 8, true);
        f.add(0, 24, true);
        assertEquals(1, f.counters().overlapDropped());
    }

    @Test
    void afterAnOverlapDropTheSameKeyStartsAFreshDatagram() {
        f.add(0, 16, true);
        f.add(8, 16, true);
        f.add(0, 1480, true);
        assertArrayEquals(f.payload, f.add(1480, 1520, false).toByteArray());
    }
}
