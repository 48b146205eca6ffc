package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SendBufferReuseTest {
    private static final int CHUNK = SendBuffer.CHUNK_SIZE;

    private static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] slice(SendBuffer buf, int from, int len) {
        PacketBuffer p = PacketBuffer.withHeadroom(0);
        buf.sliceInto(p, from, len);
        return p.toByteArray();
    }

    @Test
    void givesBackOnlyWhollyAcknowledgedChunksAndRefillsThem() {
        ArrayPool pool = new ArrayPool(CHUNK, 8);
        SendBuffer buf = new SendBuffer(new TcpMemory(Long.MAX_VALUE), new Object(), Integer.MAX_VALUE);
        buf.reuseChunks(pool);
        byte[] first = pattern(6 * CHUNK + 100, 2);
        buf.append(ByteBuffer.wrap(first), Integer.MAX_VALUE);
        buf.dropAcknowledged(CHUNK - 1);
        assertEquals(0, pool.spareArrays(), "a chunk with an unacknowledged byte stays");
        buf.dropAcknowledged(5 * CHUNK + 1);
        assertEquals(6, pool.spareArrays());
        byte[] second = pattern(2 * CHUNK, 3);
        buf.append(ByteBuffer.wrap(second), Integer.MAX_VALUE);
        assertEquals(4, pool.spareArrays());
        byte[] expected = new byte[100 + second.length];
        System.arraycopy(first, 6 * CHUNK, expected, 0, 100);
        System.arraycopy(second, 0, expected, 100, second.length);
        assertEquals(expected.length, buf.size());
        assertArrayEquals(expected, slice(buf, 0, expected.length));
    }

    @Test
    void withoutAPoolAcknowledgedChunksAreLeftAlone() {
        SendBuffer buf = new SendBuffer(new TcpMemory(Long.MAX_VALUE), new Object(), Integer.MAX_VALUE);
        buf.append(ByteBuffer.wrap(pattern(3 * CHUNK + 1, 1)), Integer.MAX_VALUE);
        byte[] kept = slice(buf, 0, 3 * CHUNK + 1);
        buf.dropAcknowledged(3 * CHUNK);
        assertEquals(1, buf.size());
        assertArrayEquals(new byte[] {kept[3 * CHUNK]}, slice(buf, 0, 1));
    }
}
