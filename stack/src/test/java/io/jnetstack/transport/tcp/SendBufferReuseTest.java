package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SendBufferReuseTest {
    private static final int CHUNK = 16 * 1024;

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
    void keepsNoChunkUnlessTheRouteReleasesSlices() {
        SendBuffer buf = new SendBuffer();
        buf.append(ByteBuffer.wrap(pattern(3 * CHUNK + 1, 1)), Integer.MAX_VALUE);
        buf.dropAcknowledged(3 * CHUNK, 1 << 20);
        assertEquals(0, buf.spareChunks());
    }

    @Test
    void holdsNoMoreChunksThanAFullBufferAndFewOnceAllIsAcknowledged() {
        SendBuffer buf = new SendBuffer();
        buf.reuseChunks(true);
        buf.append(ByteBuffer.wrap(pattern(10 * CHUNK + 1, 1)), Integer.MAX_VALUE);
        buf.dropAcknowledged(10 * CHUNK, 8 * CHUNK);
        assertEquals(7, buf.spareChunks()); // 7 spare + the partial tail chunk = 8 chunks
        buf.dropAcknowledged(1, 8 * CHUNK);
        assertEquals(SendBuffer.MAX_IDLE_SPARE_CHUNKS, buf.spareChunks());
    }

    @Test
    void refillsAcknowledgedChunksAndKeepsTheBytesRight() {
        SendBuffer buf = new SendBuffer();
        buf.reuseChunks(true);
        byte[] first = pattern(6 * CHUNK + 100, 2);
        buf.append(ByteBuffer.wrap(first), Integer.MAX_VALUE);
        buf.dropAcknowledged(6 * CHUNK, 1 << 20);
        assertEquals(6, buf.spareChunks());
        byte[] second = pattern(2 * CHUNK, 3);
        buf.append(ByteBuffer.wrap(second), Integer.MAX_VALUE);
        assertEquals(4, buf.spareChunks());
        byte[] expected = new byte[100 + second.length];
        System.arraycopy(first, 6 * CHUNK, expected, 0, 100);
        System.arraycopy(second, 0, expected, 100, second.length);
        assertEquals(expected.length, buf.size());
        assertArrayEquals(expected, slice(buf, 0, expected.length));
    }
}
