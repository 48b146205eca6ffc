package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Overlapping and duplicate segments: each byte is stored, counted and delivered once. */
class ReassemblyQueueOverlapTest {
    private static final int RCV_NXT = 1000;

    private final ReassemblyQueue queue = new ReassemblyQueue(1 << 16, new TcpMemory(Long.MAX_VALUE));
    private final SequencedBytes.Collector sink = new SequencedBytes.Collector();

    @ParameterizedTest(name = "{0}: {1} holds {2} bytes")
    @CsvSource({
        "exact duplicate adds no bytes,                           1100+100 1100+100,           100",
        "overlap at either end adds only the new bytes,           1100+100 1050+100 1180+70,   200",
        "segment spanning held ranges fills only the gaps,        1100+10 1120+10 1140+10 1090+70, 70",
        "segment contained in a held range adds nothing,          1100+100 1120+30,            100",
    })
    void overlappingSegmentsAreAcceptedAndEachByteIsHeldOnce(String fact, String ranges, int heldBytes) {
        assertTrue(SequencedBytes.addRanges(queue, 0, ranges));

        assertEquals(heldBytes, queue.bytes());
    }

    @Test
    void overlappingSegmentsDeliverEachByteOnceInOrder() {
        SequencedBytes.add(queue, 1100, 10);
        SequencedBytes.add(queue, 1120, 10);
        SequencedBytes.add(queue, 1105, 40);
        SequencedBytes.add(queue, RCV_NXT, 101);

        int delivered = queue.drainInto(RCV_NXT, sink);

        assertEquals(145, delivered);
        assertArrayEquals(SequencedBytes.from(RCV_NXT, 145), sink.bytes());
    }

    @Test
    void bytesAlreadyHeldKeepTheirFirstCopy() {
        SequencedBytes.add(queue, RCV_NXT, 10);
        byte[] different = new byte[10];

        queue.add(RCV_NXT, different, 0, 10);
        queue.drainInto(RCV_NXT, sink);

        assertArrayEquals(SequencedBytes.from(RCV_NXT, 10), sink.bytes());
    }

    @Test
    void emptySegmentAddsNothing() {
        assertEquals(ReassemblyQueue.Admission.STORED, queue.add(1100, new byte[0], 0, 0));
        assertTrue(queue.isEmpty());
    }
}
