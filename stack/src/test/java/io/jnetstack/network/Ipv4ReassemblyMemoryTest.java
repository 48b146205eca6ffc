package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * Incomplete datagrams are charged their true cost (arrays and objects) and stay under the limit
 * by evicting the oldest datagrams.
 */
class Ipv4ReassemblyMemoryTest {
    /** What one datagram holding one 1480-byte fragment is charged. */
    private static final long ONE_DATAGRAM = chargeOfOneFragment(1480);
    /** Room for two such datagrams, not three. */
    private final ReassemblyFixture f = new ReassemblyFixture(3000, (int) (ONE_DATAGRAM * 5 / 2));

    private static long chargeOfOneFragment(int length) {
        ReassemblyFixture unlimited = new ReassemblyFixture(3000, Integer.MAX_VALUE);
        unlimited.add(0, length, true);
        return unlimited.reassembler.heldBytes();
    }

    @Test
    void aFragmentIsChargedMoreThanItsPayload() {
        assertTrue(ONE_DATAGRAM > 1480 + Ipv4Reassembler.DATAGRAM_OVERHEAD, "charged " + ONE_DATAGRAM);
    }

    @Test
    void aSmallFragmentDoesNotPinTheFrameItCameIn() {
        ReassemblyFixture unlimited = new ReassemblyFixture(3000, Integer.MAX_VALUE);
        byte[] frame = new byte[1514];
        unlimited.reassembler.add(ReassemblyFixture.SRC, ReassemblyFixture.DST, ReassemblyFixture.UDP, 1, 0, true,
                PacketBuffer.wrap(frame, 34, 8));
        long charged = unlimited.reassembler.heldBytes();
        assertTrue(charged < 1514 && charged > Ipv4Reassembler.DATAGRAM_OVERHEAD + 8, "charged " + charged);
    }

    @Test
    void heldBytesAddUpPerDatagram() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 1480, true);
        assertEquals(2 * ONE_DATAGRAM, f.reassembler.heldBytes());
    }

    @Test
    void goingOverTheLimitEvictsTheOldestDatagram() {
        f.add(1, 0, 1480, true);
        f.add(2, 0, 1480, true);
        f.add(3, 0, 1480, true);
        assertEquals(2, f.reassembler.pendingDatagrams());
        assertEquals(1, f.counters().memoryEvicted());
        assertEquals(2 * ONE_DATAGRAM, f.reassembler.heldBytes());
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
        assertEquals(0, small.reassembler.heldBytes());
    }

    @Test
    void theDefaultLimitIsASmallShareOfTheHeapAndAtMostLinuxs() {
        long limit = Ipv4Reassembler.defaultMemoryLimit();
        assertTrue(limit <= Ipv4Reassembler.MAX_DEFAULT_MEMORY_LIMIT_BYTES);
        assertTrue(limit <= Runtime.getRuntime().maxMemory() / Ipv4Reassembler.HEAP_SHARE_DIVISOR);
    }
}
