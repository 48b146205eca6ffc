package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 9293 §3.10.7.4: held segment text is delivered in order once the gap before it fills. */
class ReassemblyQueueDrainTest {
    private static final int RCV_NXT = 0xFFFF_FF00; // close to the wrap, so ranges straddle it

    private final ReassemblyQueue queue = new ReassemblyQueue(1 << 16, new TcpMemory(Long.MAX_VALUE));
    private final SequencedBytes.Collector sink = new SequencedBytes.Collector();

    @Test
    void nothingIsDeliveredWhileTheGapBeforeTheDataRemains() {
        SequencedBytes.add(queue, RCV_NXT + 100, 100);

        assertEquals(0, queue.drainInto(RCV_NXT, sink));
        assertEquals(100, queue.bytes());
    }

    @Test
    void contiguousRangesAreDeliveredInOrderAcrossTheWrap() {
        SequencedBytes.add(queue, RCV_NXT + 512, 300);
        SequencedBytes.add(queue, RCV_NXT + 256, 256);
        SequencedBytes.add(queue, RCV_NXT, 256);

        int delivered = queue.drainInto(RCV_NXT, sink);

        assertEquals(812, delivered);
        assertArrayEquals(SequencedBytes.from(RCV_NXT, 812), sink.bytes());
    }

    @Test
    void drainStopsAtTheNextGap() {
        SequencedBytes.add(queue, RCV_NXT, 100);
        SequencedBytes.add(queue, RCV_NXT + 200, 100);

        assertEquals(100, queue.drainInto(RCV_NXT, sink));
        assertEquals(100, queue.bytes());
    }

    @Test
    void partOfARangeBelowRcvNxtIsTrimmed() {
        SequencedBytes.add(queue, RCV_NXT + 100, 200);

        int delivered = queue.drainInto(RCV_NXT + 150, sink);

        assertEquals(150, delivered);
        assertArrayEquals(SequencedBytes.from(RCV_NXT + 150, 150), sink.bytes());
    }

    @Test
    void rangesWhollyBelowRcvNxtAreDiscardedWithoutDelivery() {
        SequencedBytes.add(queue, RCV_NXT + 100, 50);

        int delivered = queue.drainInto(RCV_NXT + 400, sink);

        assertEquals(0, delivered);
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.bytes());
    }

    @Test
    void drainedQueueIsEmpty() {
        SequencedBytes.add(queue, RCV_NXT, 10);

        queue.drainInto(RCV_NXT, sink);

        assertTrue(queue.isEmpty());
        assertEquals(0, queue.bytes());
    }

    @Test
    void onlyTheGivenSliceOfTheSegmentArrayIsStored() {
        byte[] segment = SequencedBytes.from(RCV_NXT - 10, 30);
        queue.add(RCV_NXT, segment, 10, 15);

        queue.drainInto(RCV_NXT, sink);

        assertArrayEquals(SequencedBytes.from(RCV_NXT, 15), sink.bytes());
    }

    @Test
    void laterChangesToTheSegmentArrayDoNotReachTheQueue() {
        byte[] segment = SequencedBytes.from(RCV_NXT, 20);
        queue.add(RCV_NXT, segment, 0, 20);
        segment[0] = 0x55;

        queue.drainInto(RCV_NXT, sink);

        assertArrayEquals(SequencedBytes.from(RCV_NXT, 20), sink.bytes());
    }

    @Test
    void clearDropsEverything() {
        SequencedBytes.add(queue, RCV_NXT + 10, 10);

        queue.clear();

        assertTrue(queue.isEmpty());
        assertEquals(0, queue.drainInto(RCV_NXT + 10, sink));
    }
}
