package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The queue's memory bound: data bytes, and the number of separate ranges. */
class ReassemblyQueueBoundTest {
    private final ReassemblyQueue queue = new ReassemblyQueue(4096);

    @Test
    void segmentFillingTheBoundExactlyIsAccepted() {
        assertTrue(SequencedBytes.add(queue, 100, 4096));
    }

    @Test
    void segmentThatWouldExceedTheBoundIsRefused() {
        SequencedBytes.add(queue, 100, 4000);

        assertFalse(SequencedBytes.add(queue, 5000, 97));
    }

    @Test
    void refusedSegmentLeavesNothingBehind() {
        SequencedBytes.add(queue, 100, 4000);

        SequencedBytes.add(queue, 4090, 200); // overlaps, with 190 new bytes: too many

        assertEquals(4000, queue.bytes());
    }

    @Test
    void onlyNewBytesCountAgainstTheBound() {
        SequencedBytes.add(queue, 100, 4000);

        assertTrue(SequencedBytes.add(queue, 50, 4096)); // 50 new bytes before the held range, 46 after
        assertEquals(4096, queue.bytes());
    }

    @Test
    void duplicateIsAcceptedWhenFull() {
        SequencedBytes.add(queue, 100, 4096);

        assertTrue(SequencedBytes.add(queue, 200, 10));
    }

    @Test
    void manyTinyRangesAreRefusedBeforeTheirBookkeepingOutgrowsTheBound() {
        int maxRanges = Math.max(ReassemblyQueue.MIN_RANGES, 4096 / ReassemblyQueue.MIN_BYTES_PER_RANGE);
        for (int i = 0; i < maxRanges; i++) {
            assertTrue(SequencedBytes.add(queue, 100 + 2 * i, 1));
        }

        assertFalse(SequencedBytes.add(queue, 100 + 2 * maxRanges, 1));
    }

    @Test
    void sliceOutsideTheArrayIsRejected() {
        assertThrows(IndexOutOfBoundsException.class, () -> queue.add(0, new byte[10], 5, 6));
    }

    @Test
    void nonPositiveBoundIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReassemblyQueue(0));
    }
}
