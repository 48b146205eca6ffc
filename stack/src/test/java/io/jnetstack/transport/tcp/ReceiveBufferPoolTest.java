package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.ArrayPool;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReceiveBufferPoolTest {
    @Test
    void givesAPooledArrayBackOnlyOnceAllOfItsRangeIsRead() {
        ArrayPool pool = new ArrayPool(8, 4);
        ReceiveBuffer buf = new ReceiveBuffer(new TcpMemory(Long.MAX_VALUE), Integer.MAX_VALUE, Integer.MAX_VALUE);
        buf.append(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 4, pool);
        buf.append(new byte[] {9}, 0, 1);
        ByteBuffer dst = ByteBuffer.allocate(3);
        assertEquals(3, buf.read(dst, true));
        assertEquals(0, pool.spareArrays(), "a peek reads nothing away");
        dst.clear();
        assertEquals(3, buf.read(dst, false));
        assertArrayEquals(new byte[] {2, 3, 4}, dst.array());
        assertEquals(0, pool.spareArrays());
        dst.clear();
        assertEquals(2, buf.read(dst, false));
        assertEquals(1, pool.spareArrays());
        assertEquals(0, buf.size());
    }
}
