package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The send buffer's own accounting: capacity, the urgent end the sender's SND.UP follows, shutdown. */
class SendBufferAccountingTest {
    private final SendBuffer buffer = new SendBuffer(new TcpMemory(Long.MAX_VALUE), new Object(), 1000);

    private int write(int bytes, boolean urgent) {
        return buffer.write(ByteBuffer.allocate(bytes), Math.min(bytes, buffer.room()), urgent);
    }

    @Test
    void writesStopAtTheCapacity() {
        assertEquals(1000, write(1500, false));
        assertEquals(0, buffer.room());
        assertFalse(buffer.writable(), "full");
        buffer.acknowledge(400);
        assertEquals(400, buffer.room());
        assertTrue(buffer.writable());
    }

    @Test
    void urgentModeLastsUntilTheLastUrgentByteIsAcknowledged() {
        write(100, false);
        write(1, true);
        write(50, false);
        assertEquals(101, buffer.urgentEnd(), "just past the urgent byte, counted from the first byte written");
        buffer.acknowledge(100);
        assertTrue(buffer.urgentPending(), "the urgent byte is not acknowledged yet");
        assertEquals(1, buffer.acknowledge(1));
        assertFalse(buffer.urgentPending());
        assertEquals(-1, buffer.urgentEnd());
    }

    @Test
    void aLaterUrgentWriteMovesTheUrgentEndOn() {
        write(10, true);
        buffer.acknowledge(5);
        write(10, true);
        buffer.acknowledge(10);
        assertEquals(20, buffer.urgentEnd(), "the first urgent byte's acknowledgment does not end the second's mode");
    }

    @Test
    void acknowledgingMoreThanIsHeldDropsWhatIsHeld() {
        write(30, false);
        assertEquals(30, buffer.acknowledge(31), "the FIN's sequence number is no byte of the buffer");
        assertEquals(0, buffer.size());
    }

    @Test
    void shutdownIsOnceAndStopsWrites() {
        assertTrue(buffer.shutdown());
        assertFalse(buffer.shutdown(), "already shut down");
        assertTrue(buffer.isShutdown());
        assertFalse(buffer.writable());
    }
}
