package io.jnetstack.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PooledFlattenTest {
    private static byte[] bytes(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private static PacketBuffer packet(byte[] header, byte[] payload) {
        PacketBuffer p = PacketBuffer.withHeadroom(0, header, 0, header.length);
        p.appendSlice(payload, 0, payload.length);
        return p;
    }

    @Test
    void largePacketIsFlattenedIntoAPooledArrayItOwnsUntilTakenOver() {
        ArrayPool pool = new ArrayPool(1000, 2);
        byte[] spare = pool.take();
        pool.give(spare);
        PacketBuffer p = packet(bytes(20, 1), bytes(700, 2));
        byte[] expected = p.toByteArray();
        p.flatten(pool);
        assertSame(spare, p.array());
        assertEquals(p.length(), p.frontLength());
        assertArrayEquals(expected, p.toByteArray());
        assertSame(pool, p.takePooledFront());
        assertNull(p.takePooledFront(), "ownership is handed over once");
    }

    @Test
    void packetNeedingLessThanHalfOrMoreThanAllOfAnArrayGetsItsOwn() {
        ArrayPool pool = new ArrayPool(1000, 2);
        for (int payload : new int[] {400, 1000}) {
            PacketBuffer p = packet(bytes(20, 3), bytes(payload, 4));
            byte[] expected = p.toByteArray();
            p.flatten(pool);
            assertEquals(20 + payload, p.array().length);
            assertArrayEquals(expected, p.toByteArray());
            assertNull(p.takePooledFront());
        }
    }

    @Test
    void growingTheHeadroomDropsThePooledArray() {
        ArrayPool pool = new ArrayPool(1000, 2);
        PacketBuffer p = packet(bytes(20, 5), bytes(700, 6));
        p.flatten(pool);
        p.prepend(8);
        assertNull(p.takePooledFront());
    }

    @Test
    void poolKeepsAtMostItsBoundAndOnlyArraysOfItsLength() {
        ArrayPool pool = new ArrayPool(16, 2);
        pool.give(new byte[16]);
        pool.give(new byte[15]);
        pool.give(new byte[16]);
        pool.give(new byte[16]);
        assertEquals(2, pool.spareArrays());
        byte[] a = pool.take();
        assertEquals(16, a.length);
        pool.take();
        assertNotSame(a, pool.take());
        assertEquals(0, pool.spareArrays());
    }

    @Test
    void poolCountsTheArraysItMadeAndThoseGivenBack() {
        ArrayPool pool = new ArrayPool(16, 1);
        byte[] a = pool.take();
        byte[] b = pool.take();
        pool.give(a);
        pool.give(b); // beyond the bound: counted, left to the collector
        pool.give(new byte[15]); // not one of the pool's
        assertSame(a, pool.take());
        assertEquals(2, pool.arraysCreated());
        assertEquals(2, pool.arraysGivenBack());
    }

    @Test
    void receivedFrameInAPooledArrayIsOwnedUntilTakenOver() {
        ArrayPool pool = new ArrayPool(1000, 2);
        byte[] array = pool.take();
        PacketBuffer frame = PacketBuffer.wrapPooled(array, 600, pool);
        assertSame(array, frame.array());
        assertEquals(0, frame.offset());
        assertEquals(600, frame.length());
        assertSame(pool, frame.takePooledFront());
        assertNull(frame.takePooledFront(), "ownership is handed over once");
        assertThrows(IllegalArgumentException.class, () -> PacketBuffer.wrapPooled(new byte[999], 600, pool));
    }

    @Test
    void compactingASmallFrameInAPooledArrayGivesTheArrayBack() {
        ArrayPool pool = new ArrayPool(1000, 2);
        byte[] array = pool.take();
        PacketBuffer frame = PacketBuffer.wrapPooled(array, 600, pool);
        frame.consume(580); // headers parsed: 20 bytes left in a 1000-byte array
        long before = frame.trueSize();
        frame.compact();
        assertEquals(20, frame.array().length);
        assertTrue(frame.trueSize() < before);
        assertEquals(1, pool.spareArrays());
        assertNull(frame.takePooledFront());
    }
}
