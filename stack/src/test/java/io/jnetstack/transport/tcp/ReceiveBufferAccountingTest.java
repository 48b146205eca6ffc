package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The receive buffer's own accounting: the urgent mark, the bytes read, and auto-tuning. */
class ReceiveBufferAccountingTest {
    private static final int INITIAL = 1000;
    private static final int MAX = 3000;
    private static final long RTT = 5_000_000;

    private final TcpMemory memory = new TcpMemory(Long.MAX_VALUE);
    private final ReceiveBuffer buffer = new ReceiveBuffer(memory, INITIAL, MAX);

    private static byte[] counting(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private int read(int bytes) {
        return buffer.readByApplication(ByteBuffer.allocate(bytes), false);
    }

    @Test
    void aReadStopsBeforeTheUrgentByteWhichIsDroppedWithoutOobInline() {
        buffer.markUrgent(3); // the 4th of the bytes about to arrive
        buffer.append(counting(8), 0, 8);
        assertEquals(3, buffer.readable());
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(3, buffer.readByApplication(dst, false));
        buffer.passUrgentMark();
        assertEquals(4, buffer.readByApplication(dst, false));
        dst.flip();
        byte[] got = new byte[dst.remaining()];
        dst.get(got);
        assertEquals("[0, 1, 2, 4, 5, 6, 7]", java.util.Arrays.toString(got));
    }

    @Test
    void withOobInlineTheUrgentByteStaysInTheStream() {
        buffer.setOobInline(true);
        buffer.markUrgent(1);
        buffer.append(counting(4), 0, 4);
        assertEquals(4, buffer.readable());
        assertEquals(1, read(4), "still stops at the mark");
        buffer.passUrgentMark();
        assertEquals(3, read(4));
    }

    @Test
    void aPeekCountsNothing() {
        buffer.append(counting(10), 0, 10);
        assertEquals(10, buffer.readByApplication(ByteBuffer.allocate(10), true));
        buffer.autoTune(RTT);
        assertEquals(INITIAL, buffer.capacity(), "nothing was read, so nothing drained");
    }

    @Test
    void autoTuningDoublesAfterMoreThanHalfIsReadInARoundTripUpToTheMaximum() {
        assertFalse(buffer.autoTuningDue(RTT - 1, RTT));
        assertTrue(buffer.autoTuningDue(RTT, RTT));
        buffer.append(new byte[INITIAL], 0, INITIAL);
        read(INITIAL / 2 + 1);
        buffer.autoTune(RTT);
        assertEquals(2 * INITIAL, buffer.capacity());
        assertFalse(buffer.autoTuningDue(2 * RTT - 1, RTT), "a round trip from the last measurement");
        buffer.append(new byte[2 * INITIAL], 0, 2 * INITIAL);
        read(2 * INITIAL);
        buffer.autoTune(2 * RTT);
        assertEquals(MAX, buffer.capacity());
        assertEquals(MAX, buffer.largestCapacity());
    }

    @Test
    void halfTheBufferReadIsNotEnoughToGrow() {
        buffer.append(new byte[INITIAL], 0, INITIAL);
        read(INITIAL / 2);
        buffer.autoTune(RTT);
        assertEquals(INITIAL, buffer.capacity());
    }

    @Test
    void settingTheCapacityStopsAutoTuning() {
        buffer.setCapacity(2000);
        assertEquals(2000, buffer.largestCapacity());
        buffer.append(new byte[2000], 0, 2000);
        read(2000);
        buffer.autoTune(RTT);
        assertEquals(2000, buffer.capacity());
    }

    @Test
    void aChildTakesItsListenersCapacityAndAutoTuning() {
        buffer.setCapacity(1500);
        ReceiveBuffer child = new ReceiveBuffer(memory, INITIAL, MAX);
        child.copySettingsFrom(buffer);
        assertEquals(1500, child.capacity());
        assertEquals(1500, child.largestCapacity(), "auto-tuning off, as on the listener");
    }
}
