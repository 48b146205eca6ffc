package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Copying, slicing and counting a range of the send buffer agree, also once its chunk ring has wrapped. */
class SendBufferRangeTest {
    private static final int CHUNK = SendBuffer.CHUNK_SIZE;

    private final SendBuffer buffer = new SendBuffer(new TcpMemory(Long.MAX_VALUE), new Object(), Integer.MAX_VALUE);
    /** Every byte written, so the expected bytes of any range are known. */
    private byte[] written = new byte[0];
    private int acknowledged;

    private void write(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) ((written.length + i) * 131 + 7);
        }
        assertEquals(len, buffer.append(ByteBuffer.wrap(b), len));
        byte[] all = Arrays.copyOf(written, written.length + len);
        System.arraycopy(b, 0, all, written.length, len);
        written = all;
    }

    private void acknowledge(int n) {
        buffer.dropAcknowledged(n);
        acknowledged += n;
    }

    private void assertRange(int from, int len) {
        byte[] expected = Arrays.copyOfRange(written, acknowledged + from, acknowledged + from + len);
        byte[] copied = new byte[len + 3];
        buffer.copyTo(from, copied, 3, len);
        assertArrayEquals(expected, Arrays.copyOfRange(copied, 3, len + 3), "copy of " + from + "+" + len);
        PacketBuffer packet = PacketBuffer.withHeadroom(0);
        buffer.sliceInto(packet, from, len);
        assertArrayEquals(expected, packet.toByteArray(), "slices of " + from + "+" + len);
        int firstChunk = (from + acknowledged % CHUNK) / CHUNK;
        int lastChunk = (from + acknowledged % CHUNK + len - 1) / CHUNK;
        assertEquals(len == 0 ? 0 : lastChunk - firstChunk + 1, buffer.chunksSpanned(from, len), "chunks of " + from + "+" + len);
    }

    @Test
    void rangesWithinAndAcrossChunksReadTheBytesWritten() {
        write(3 * CHUNK + 10);
        assertRange(0, 1);
        assertRange(5, CHUNK);
        assertRange(CHUNK - 1, 2);
        assertRange(0, 3 * CHUNK + 10);
        assertRange(3 * CHUNK + 10, 0);
    }

    @Test
    void rangesStayRightAfterTheChunkRingWrapsAndGrows() {
        for (int round = 0; round < 6; round++) {
            write(3 * CHUNK + 100);
            acknowledge(2 * CHUNK + 50 + round);
            assertRange(0, buffer.size());
            assertRange(CHUNK / 2, buffer.size() - CHUNK / 2);
        }
        write(8 * CHUNK); // more chunks than the ring held: it grows with a wrapped head
        assertRange(0, buffer.size());
        assertRange(buffer.size() - CHUNK - 3, CHUNK + 3);
    }
}
