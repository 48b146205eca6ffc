package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The queue's bounds, by true cost (arrays and bookkeeping): the connection's, and TCP memory's
 * queue threshold.
 */
class ReassemblyQueueBoundTest {
    private static final int BOUND = (int) ReassemblyQueue.costOf(4096);
    private final TcpMemory memory = new TcpMemory(Long.MAX_VALUE);
    private final ReassemblyQueue queue = new ReassemblyQueue(BOUND, memory);

    @Test
    void segmentFillingTheBoundExactlyIsAccepted() {
        assertTrue(SequencedBytes.add(queue, 100, 4096));
        assertEquals(BOUND, queue.trueSize());
    }

    @Test
    void segmentThatWouldExceedTheBoundIsRefused() {
        SequencedBytes.add(queue, 100, 3000);

        assertEquals(ReassemblyQueue.Admission.OVER_CONNECTION_BOUND,
                queue.add(5000, SequencedBytes.from(5000, 1000), 0, 1000));
    }

    @Test
    void refusedSegmentLeavesNothingBehind() {
        SequencedBytes.add(queue, 100, 3000);

        SequencedBytes.add(queue, 3090, 1200); // overlaps, with 1190 new bytes: too many

        assertEquals(3000, queue.bytes());
        assertEquals(ReassemblyQueue.costOf(3000), memory.used());
    }

    @Test
    void onlyNewBytesCountAgainstTheBound() {
        SequencedBytes.add(queue, 100, 3000);

        assertTrue(SequencedBytes.add(queue, 50, 3100)); // 50 new bytes before the held range, 50 after
        assertEquals(3100, queue.bytes());
    }

    @Test
    void duplicateIsAcceptedWhenFull() {
        SequencedBytes.add(queue, 100, 4096);

        assertTrue(SequencedBytes.add(queue, 200, 10));
    }

    @Test
    void tinyRangesAreChargedTheirBookkeeping() {
        int ranges = (int) (BOUND / ReassemblyQueue.costOf(1));
        for (int i = 0; i < ranges; i++) {
            assertTrue(SequencedBytes.add(queue, 100 + 2 * i, 1));
        }

        assertFalse(SequencedBytes.add(queue, 100 + 2 * ranges, 1));
        assertEquals(ranges * ReassemblyQueue.costOf(1), queue.trueSize());
    }

    @Test
    void tcpMemoryAtItsQueueThresholdRefusesWhatTheConnectionWouldTake() {
        TcpMemory small = new TcpMemory(2 * ReassemblyQueue.costOf(1000));
        ReassemblyQueue q = new ReassemblyQueue(BOUND, small);
        assertTrue(SequencedBytes.add(q, 100, 1000));

        assertEquals(ReassemblyQueue.Admission.OVER_STACK_THRESHOLD, q.add(2000, SequencedBytes.from(2000, 1), 0, 1));
    }

    @Test
    void drainingAndClearingGiveTheMemoryBack() {
        SequencedBytes.add(queue, 100, 1000);
        SequencedBytes.add(queue, 2000, 1000);

        queue.drainInto(100, (a, off, n) -> { });
        assertEquals(ReassemblyQueue.costOf(1000), memory.used());
        queue.clear();
        assertEquals(0, memory.used());
    }

    @Test
    void sliceOutsideTheArrayIsRejected() {
        assertThrows(IndexOutOfBoundsException.class, () -> queue.add(0, new byte[10], 5, 6));
    }

    @Test
    void nonPositiveBoundIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReassemblyQueue(0, memory));
    }
}
