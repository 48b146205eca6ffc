package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.MemoryAccount;
import org.junit.jupiter.api.Test;

/** Pools' spare arrays count against TCP memory, up to a sixteenth of the limit and only below the queue threshold. */
class TcpMemorySpareArraysTest {
    private static final long LIMIT = 1 << 20;

    @Test
    void sparesAreChargedWithConnectionsUpToTheirShare() {
        TcpMemory memory = new TcpMemory(LIMIT);
        MemoryAccount spares = memory.spareArrays();
        assertEquals(LIMIT / 16, memory.spareArraysLimit());
        assertTrue(spares.tryCharge(LIMIT / 16));
        assertFalse(spares.tryCharge(1), "past the spares' share");
        assertEquals(LIMIT / 16, memory.used(), "spares are part of TCP memory");
        assertEquals(LIMIT / 16, memory.spareArraysUsed());

        spares.release(LIMIT / 16);
        assertEquals(0, memory.used());
        assertEquals(0, memory.spareArraysUsed());
    }

    @Test
    void noSpareIsKeptOnceConnectionsHoldTheQueueThreshold() {
        TcpMemory memory = new TcpMemory(LIMIT);
        memory.charge(memory.queueThreshold() - 100);
        assertFalse(memory.spareArrays().tryCharge(101), "connections come first");
        assertEquals(0, memory.spareArraysUsed(), "a refused charge leaves nothing behind");
        assertTrue(memory.spareArrays().tryCharge(100));
    }
}
