package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9293 §3.10.7.4: held segment text is delivered in order once the gap before it fills. */
class ReassemblyQueueDrainTest {
    private static final int RCV_NXT = 0xFFFF_FF00; // close to the wrap, so ranges straddle it

    private final ReassemblyQueue queue = new ReassemblyQueue(1 << 16, new TcpMemory(Long.MAX_VALUE));
    private final SequencedBytes.Collector sink = new SequencedBytes.Collector();

    /** Ranges and the drain point are offsets from {@link #RCV_NXT}. */
    @ParameterizedTest(name = "{0}: held {1}, drain from +{2}: {3} delivered, {4} left")
    @CsvSource({
        "nothing is delivered while the gap before the data remains, 100+100,             0,   0,   100",
        "contiguous ranges are delivered in order across the wrap,   512+300 256+256 0+256, 0, 812, 0",
        "drain stops at the next gap,                                0+100 200+100,       0,   100, 100",
        "part of a range below rcvNxt is trimmed,                    100+200,             150, 150, 0",
        "ranges wholly below rcvNxt are discarded without delivery,  100+50,              400, 0,   0",
        "a drained queue is empty,                                   0+10,                0,   10,  0",
    })
    void drainDeliversTheInOrderBytesFromRcvNxt(String fact, String ranges, int drainFrom, int delivered,
                                                int bytesLeft) {
        SequencedBytes.addRanges(queue, RCV_NXT, ranges);

        assertEquals(delivered, queue.drainInto(RCV_NXT + drainFrom, sink));
        assertArrayEquals(SequencedBytes.from(RCV_NXT + drainFrom, delivered), sink.bytes());
        assertEquals(bytesLeft, queue.bytes());
        assertEquals(bytesLeft == 0, queue.isEmpty());
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
