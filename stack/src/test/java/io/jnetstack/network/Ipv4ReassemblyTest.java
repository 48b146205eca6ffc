package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Fragments that fit together give back the original payload exactly once. */
class Ipv4ReassemblyTest {
    private final ReassemblyFixture f = new ReassemblyFixture(3000);

    @Test
    void fragmentsInOrderReassembleToThePayload() {
        assertNull(f.add(0, 1480, true));
        assertNull(f.add(1480, 1480, true));
        PacketBuffer whole = f.add(2960, 40, false);
        assertArrayEquals(f.payload, whole.toByteArray());
    }

    @Test
    void fragmentsInReverseOrderReassembleToThePayload() {
        assertNull(f.add(2960, 40, false));
        assertNull(f.add(1480, 1480, true));
        assertArrayEquals(f.payload, f.add(0, 1480, true).toByteArray());
    }

    @Test
    void lastFragmentFirstThenTheRestInAnyOrder() {
        assertNull(f.add(2960, 40, false));
        assertNull(f.add(0, 1480, true));
        assertArrayEquals(f.payload, f.add(1480, 1480, true).toByteArray());
    }

    @Test
    void aHoleKeepsTheDatagramIncomplete() {
        assertNull(f.add(0, 1480, true));
        assertNull(f.add(2960, 40, false));
        assertEquals(1, f.reassembler.pendingDatagrams());
    }

    @Test
    void resultIsContiguousWithHeadroomForReplyHeaders() {
        f.add(0, 1480, true);
        f.add(1480, 1480, true);
        PacketBuffer whole = f.add(2960, 40, false);
        assertEquals(whole.length(), whole.frontLength());
        assertTrue(whole.headroom() >= 34, "headroom " + whole.headroom());
    }

    @Test
    void completionForgetsTheDatagramAndItsTimer() {
        f.add(0, 1480, true);
        f.add(1480, 1520, false);
        assertEquals(0, f.reassembler.pendingDatagrams());
        assertEquals(0, f.reassembler.heldBytes());
        assertEquals(0, f.clock.pendingTimers());
    }

    @Test
    void differentIdentificationsAreNotMixed() {
        assertNull(f.add(1, 0, 1480, true));
        assertNull(f.add(2, 1480, 1520, false));
        assertEquals(2, f.reassembler.pendingDatagrams());
    }

    @Test
    void differentProtocolsAreNotMixed() {
        f.reassembler.add(ReassemblyFixture.SRC, ReassemblyFixture.DST, 6, 7, 0, true, PacketBuffer.wrap(f.payload, 0, 8));
        assertNull(f.reassembler.add(ReassemblyFixture.SRC, ReassemblyFixture.DST, 17, 7, 8, false,
                PacketBuffer.wrap(f.payload, 8, 8)));
    }

    @Test
    void fragmentsSpreadOverSlicesAreCopiedWhole() {
        PacketBuffer sliced = PacketBuffer.withHeadroom(0, f.payload, 0, 8);
        sliced.appendSlice(f.payload, 8, 1472);
        f.reassembler.add(ReassemblyFixture.SRC, ReassemblyFixture.DST, ReassemblyFixture.UDP, ReassemblyFixture.ID,
                0, true, sliced);
        PacketBuffer whole = f.add(1480, 1520, false);
        assertArrayEquals(f.payload, whole.toByteArray());
    }

    @Test
    void countersCountFragmentsAndDatagrams() {
        f.add(0, 1480, true);
        f.add(1480, 1520, false);
        assertEquals(new Ipv4Reassembler.Counters(2, 1, 0, 0, 0, 0), f.counters());
    }

    @Test
    void largestPossibleDatagramReassembles() {
        ReassemblyFixture big = new ReassemblyFixture(Ipv4Reassembler.MAX_PAYLOAD);
        PacketBuffer whole = null;
        for (int off = 0; off < Ipv4Reassembler.MAX_PAYLOAD; off += 1480) {
            int n = Math.min(1480, Ipv4Reassembler.MAX_PAYLOAD - off);
            whole = big.add(off, n, off + n < Ipv4Reassembler.MAX_PAYLOAD);
        }
        assertNotNull(whole);
        assertTrue(Arrays.equals(big.payload, whole.toByteArray()));
    }
}
