package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.MemoryCost;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The receive buffer is charged what it pins, and small payloads piling up are coalesced. */
class ReceiveBufferTrueCostTest {
    private static final int FRAME = 60;
    private final TcpMemory memory = new TcpMemory(Long.MAX_VALUE);
    private final ReceiveBuffer buffer = new ReceiveBuffer(memory, Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** A one-byte payload {@code value} at the end of a frame-sized array. */
    private void appendOneByteFrame(int value) {
        byte[] frame = new byte[FRAME];
        frame[FRAME - 1] = (byte) value;
        buffer.append(frame, FRAME - 1, 1);
    }

    @Test
    void aPayloadReachingAnEmptyBufferIsReferencedAndChargedItsWholeArray() {
        appendOneByteFrame(7);
        assertEquals(MemoryCost.byteArray(FRAME) + ReceiveBuffer.RANGE_OVERHEAD, buffer.trueSize());
        assertEquals(buffer.trueSize(), memory.used());
    }

    @Test
    void smallPayloadsPilingUpCostLittleMoreThanTheirBytes() {
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            appendOneByteFrame(i);
        }
        // Referenced one by one, they would cost count * (80 + 48) bytes.
        assertTrue(buffer.trueSize() < 2L * count + MemoryCost.byteArray(FRAME), "charged " + buffer.trueSize());
        ByteBuffer all = ByteBuffer.allocate(count);
        assertEquals(count, buffer.read(all, false));
        for (int i = 0; i < count; i++) {
            assertEquals((byte) i, all.get(i), "byte " + i);
        }
        assertEquals(0, memory.used());
    }

    @Test
    void aPayloadFillingMostOfItsArrayIsReferenced() {
        appendOneByteFrame(1);
        buffer.append(new byte[1514], 54, 1460);
        assertEquals(2 * ReceiveBuffer.RANGE_OVERHEAD + MemoryCost.byteArray(FRAME) + MemoryCost.byteArray(1514),
                buffer.trueSize());
    }

    @Test
    void aLoneSmallPayloadAfterALargeOneIsCopiedIntoAChunkOfItsOwnSize() {
        buffer.append(new byte[1514], 54, 1460);
        long afterLarge = buffer.trueSize();
        appendOneByteFrame(9);
        // Not a full coalescing chunk: the end of a write between full segments costs its byte.
        assertEquals(afterLarge + MemoryCost.byteArray(1) + ReceiveBuffer.RANGE_OVERHEAD, buffer.trueSize());
        ByteBuffer all = ByteBuffer.allocate(1461);
        assertEquals(1461, buffer.read(all, false));
        assertEquals(9, all.get(1460));
    }

    @Test
    void clearingGivesEveryByteBack() {
        for (int i = 0; i < 100; i++) {
            appendOneByteFrame(i);
        }
        buffer.clear();
        assertEquals(0, buffer.size());
        assertEquals(0, memory.used());
    }
}
