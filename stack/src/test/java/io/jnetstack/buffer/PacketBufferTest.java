package io.jnetstack.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketBufferTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Front {1,2,3} followed by slices {4,5} and {6,7,8}. */
    private static PacketBuffer frontAndTwoSlices() {
        PacketBuffer p = PacketBuffer.withHeadroom(4, bytes(1, 2, 3), 0, 3);
        p.appendSlice(bytes(9, 4, 5), 1, 2);
        p.appendSlice(bytes(6, 7, 8), 0, 3);
        return p;
    }

    @Test
    void prependWithinHeadroomWritesInFrontWithoutReallocating() {
        PacketBuffer p = PacketBuffer.withHeadroom(8, bytes(5, 6), 0, 2);
        byte[] before = p.array();
        int off = p.prepend(2);
        p.array()[off] = 3;
        p.array()[off + 1] = 4;
        assertSame(before, p.array());
        assertEquals(6, p.headroom());
        assertArrayEquals(bytes(3, 4, 5, 6), p.toByteArray());
    }

    @Test
    void prependBeyondHeadroomGrowsAndKeepsContent() {
        PacketBuffer p = PacketBuffer.withHeadroom(1, bytes(5, 6), 0, 2);
        int off = p.prepend(3);
        p.array()[off] = 2;
        p.array()[off + 1] = 3;
        p.array()[off + 2] = 4;
        assertArrayEquals(bytes(2, 3, 4, 5, 6), p.toByteArray());
        assertTrue(p.headroom() >= 0);
    }

    @Test
    void prependRejectsNegativeLength() {
        assertThrows(IllegalArgumentException.class, () -> PacketBuffer.withHeadroom(4).prepend(-1));
    }

    @Test
    void consumeWithinFront() {
        PacketBuffer p = frontAndTwoSlices();
        p.consume(2);
        assertEquals(6, p.length());
        assertArrayEquals(bytes(3, 4, 5, 6, 7, 8), p.toByteArray());
    }

    @Test
    void consumeIntoSlicesDropsBytesWithoutFlattening() {
        PacketBuffer p = frontAndTwoSlices();
        p.consume(4); // front (3) + first byte of the first slice
        assertArrayEquals(bytes(5, 6, 7, 8), p.toByteArray());
        assertEquals(0, p.frontLength());
        assertEquals(5, p.getByte(0));
        p.consume(2); // rest of the first slice and first byte of the second
        assertArrayEquals(bytes(7, 8), p.toByteArray());
        assertTrue(p.toString().contains("slices=1"), p.toString());
    }

    @Test
    void consumeEverythingLeavesEmptyPacket() {
        PacketBuffer p = frontAndTwoSlices();
        p.consume(8);
        assertEquals(0, p.length());
        assertArrayEquals(new byte[0], p.toByteArray());
    }

    @Test
    void consumeMoreThanLengthThrows() {
        assertThrows(IndexOutOfBoundsException.class, () -> frontAndTwoSlices().consume(9));
    }

    @Test
    void truncateInsideFrontDropsAllSlices() {
        PacketBuffer p = frontAndTwoSlices();
        p.truncate(2);
        assertArrayEquals(bytes(1, 2), p.toByteArray());
    }

    @Test
    void truncateInsideSecondSliceCutsIt() {
        PacketBuffer p = frontAndTwoSlices();
        p.truncate(6);
        assertEquals(6, p.length());
        assertArrayEquals(bytes(1, 2, 3, 4, 5, 6), p.toByteArray());
    }

    @Test
    void truncateAtSliceBoundaryThenAppendContinuesAfterIt() {
        PacketBuffer p = frontAndTwoSlices();
        p.truncate(5);
        p.appendSlice(bytes(10), 0, 1);
        assertArrayEquals(bytes(1, 2, 3, 4, 5, 10), p.toByteArray());
    }

    @Test
    void appendSliceReferencesBytesWithoutCopying() {
        byte[] payload = bytes(1, 2, 3);
        PacketBuffer p = PacketBuffer.withHeadroom(0);
        p.appendSlice(payload, 0, 3);
        payload[1] = 42; // breaking the immutability rule shows the slice is shared
        assertEquals(42, p.getByte(1));
    }

    @Test
    void appendSliceGrowsPastInitialCapacity() {
        PacketBuffer p = PacketBuffer.withHeadroom(0);
        for (int i = 0; i < 10; i++) {
            p.appendSlice(bytes(i), 0, 1);
        }
        assertArrayEquals(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), p.toByteArray());
    }

    @Test
    void appendSliceRejectsRangeOutsideArray() {
        PacketBuffer p = PacketBuffer.withHeadroom(0);
        assertThrows(IndexOutOfBoundsException.class, () -> p.appendSlice(new byte[3], 2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> p.appendSlice(new byte[3], -1, 1));
    }

    @Test
    void flattenMakesEverythingContiguousAndKeepsHeadroom() {
        PacketBuffer p = frontAndTwoSlices();
        p.flatten();
        assertEquals(8, p.frontLength());
        assertEquals(4, p.headroom());
        byte[] contiguous = new byte[8];
        System.arraycopy(p.array(), p.offset(), contiguous, 0, 8);
        assertArrayEquals(bytes(1, 2, 3, 4, 5, 6, 7, 8), contiguous);
    }

    @Test
    void ensureFrontFlattensOnlyWhenNeededAndFailsPastTheEnd() {
        PacketBuffer p = frontAndTwoSlices();
        assertTrue(p.ensureFront(3));
        assertEquals(3, p.frontLength());
        assertTrue(p.ensureFront(5));
        assertEquals(8, p.frontLength());
        assertFalse(p.ensureFront(9));
    }

    @Test
    void copyToCrossesFrontAndSlices() {
        byte[] dst = new byte[6];
        frontAndTwoSlices().copyTo(2, dst, 1, 5);
        assertArrayEquals(bytes(0, 3, 4, 5, 6, 7), dst);
    }

    @Test
    void forEachRangeVisitsEachPieceInOrder() {
        List<String> ranges = new ArrayList<>();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        frontAndTwoSlices().forEachRange(1, 6, (a, off, n) -> {
            ranges.add(off + "+" + n);
            seen.write(a, off, n);
        });
        assertArrayEquals(bytes(2, 3, 4, 5, 6, 7), seen.toByteArray());
        // front from offset 4+1, the first slice from its offset 1, the second from 0
        assertEquals(List.of("5+2", "1+2", "0+2"), ranges);
    }

    @Test
    void foldRangesCarriesTheResultAndTheBytesBeforeEachRange() {
        List<String> ranges = new ArrayList<>();
        int result = frontAndTwoSlices().foldRanges(1, 6, ranges, 100, (seen, acc, before, a, off, n) -> {
            seen.add(acc + "@" + before + ":" + n);
            return acc + a[off];
        });
        assertEquals(List.of("100@0:2", "102@2:2", "106@4:2"), ranges);
        assertEquals(106 + 6, result, "the sum of each range's first byte, 2, 4 and 6, after 100");
        assertEquals(7, frontAndTwoSlices().foldRanges(3, 0, null, 7, (none, acc, before, a, off, n) -> acc + 1),
                "an empty range folds nothing");
    }

    @Test
    void forEachRangeRejectsRangesOutsideThePacket() {
        PacketBuffer p = frontAndTwoSlices();
        assertThrows(IndexOutOfBoundsException.class, () -> p.forEachRange(7, 2, (a, o, n) -> { }));
        assertThrows(IndexOutOfBoundsException.class, () -> p.forEachRange(1, Integer.MAX_VALUE, (a, o, n) -> { }));
    }

    @Test
    void getByteReadsFrontAndSlices() {
        PacketBuffer p = frontAndTwoSlices();
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, p.getByte(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> p.getByte(8));
    }

    @Test
    void getByteRejectsNegativeIndexInsteadOfReadingHeadroom() {
        PacketBuffer p = PacketBuffer.withHeadroom(4, bytes(1), 0, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> p.getByte(-1));
    }

    @Test
    void getByteIsUnsigned() {
        assertEquals(0xff, PacketBuffer.wrap(bytes(0xff), 0, 1).getByte(0));
    }

    @Test
    void copyOwnsItsBytes() {
        byte[] slice = bytes(4, 5);
        PacketBuffer p = PacketBuffer.withHeadroom(2, bytes(1), 0, 1);
        p.appendSlice(slice, 0, 2);
        PacketBuffer c = p.copy();
        slice[0] = 99;
        assertNotSame(p.array(), c.array());
        assertArrayEquals(bytes(1, 4, 5), c.toByteArray());
    }

    @Test
    void wrapDoesNotCopyAndChecksBounds() {
        byte[] data = bytes(1, 2, 3, 4);
        PacketBuffer p = PacketBuffer.wrap(data, 1, 2);
        assertSame(data, p.array());
        assertArrayEquals(bytes(2, 3), p.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> PacketBuffer.wrap(data, 3, 2));
    }

    @Test
    void allocateGivesZeroedFrontAfterHeadroom() {
        PacketBuffer p = PacketBuffer.allocate(3, 2);
        assertEquals(3, p.offset());
        assertArrayEquals(bytes(0, 0), p.toByteArray());
    }
}
