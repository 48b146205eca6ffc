package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** RFC 2018 §3–§4: SACK blocks describe the held ranges, the one just received first. */
class ReassemblyQueueSackBlocksTest {
    private final ReassemblyQueue queue = new ReassemblyQueue(1 << 16, new TcpMemory(Long.MAX_VALUE));

    @Test
    void emptyQueueHasNoBlocks() {
        assertArrayEquals(new int[0], queue.sackBlocks(4, 0));
    }

    @Test
    void blockEdgesAreTheHeldRangeWithAnExclusiveRightEdge() {
        SequencedBytes.add(queue, 2000, 500);

        assertArrayEquals(new int[] {2000, 2500}, queue.sackBlocks(4, 2000));
    }

    @Test
    void adjacentRangesAreReportedAsOneBlock() {
        SequencedBytes.add(queue, 2000, 500);
        SequencedBytes.add(queue, 2500, 500);

        assertArrayEquals(new int[] {2000, 3000}, queue.sackBlocks(4, 2500));
    }

    @Test
    void blockHoldingTheMostRecentSegmentComesFirst() {
        SequencedBytes.add(queue, 2000, 100);
        SequencedBytes.add(queue, 3000, 100);
        SequencedBytes.add(queue, 4000, 100);

        assertArrayEquals(new int[] {2000, 2100, 4000, 4100, 3000, 3100}, queue.sackBlocks(4, 2050));
    }

    @Test
    void otherBlocksFollowMostRecentlyReceivedFirst() {
        SequencedBytes.add(queue, 4000, 100);
        SequencedBytes.add(queue, 2000, 100);
        SequencedBytes.add(queue, 3000, 100);
        SequencedBytes.add(queue, 5000, 100);

        assertArrayEquals(new int[] {5000, 5100, 3000, 3100, 2000, 2100, 4000, 4100}, queue.sackBlocks(4, 5000));
    }

    @Test
    void blockCountIsLimited() {
        for (int i = 0; i < 6; i++) {
            SequencedBytes.add(queue, 2000 + 1000 * i, 100);
        }

        assertArrayEquals(new int[] {7000, 7100, 6000, 6100, 5000, 5100}, queue.sackBlocks(3, 7000));
    }

    @Test
    void blocksSpanTheSequenceWrap() {
        SequencedBytes.add(queue, -100, 100);
        SequencedBytes.add(queue, 0, 100);

        assertArrayEquals(new int[] {-100, 100}, queue.sackBlocks(4, 0));
    }
}
