package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jnetstack.buffer.PacketBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which queue of a multi-queue TAP device a frame leaves through: one per flow, flows spread. */
class TapLinkFlowHashTest {
    private static final int QUEUES = 4;

    @Test
    void everyFrameOfAConnectionLeavesThroughOneQueue() {
        int queue = TapLink.queueFor(tcpFrame(5000, 80, 1, 0x02, 0), QUEUES);
        for (int seq = 0; seq < 100; seq++) {
            // Sequence numbers, flags and payload change; the queue does not.
            assertEquals(queue, TapLink.queueFor(tcpFrame(5000, 80, seq * 1448, 0x10, seq % 3 * 500), QUEUES));
        }
    }

    @Test
    void connectionsSpreadOverAllQueues() {
        Set<Integer> used = new HashSet<>();
        for (int port = 40000; port < 40064; port++) {
            used.add(TapLink.queueFor(tcpFrame(port, 80, 0, 0x02, 0), QUEUES));
        }
        assertEquals(QUEUES, used.size(), "64 connections use every one of " + QUEUES + " queues");
    }

    @Test
    void portsCountOnlyInAnUnfragmentedPacket() {
        PacketBuffer first = tcpFrame(5000, 80, 0, 0x10, 100);
        PacketBuffer laterFragment = tcpFrame(6000, 90, 0, 0x10, 100);
        setFragmentOffset(laterFragment, 185);
        PacketBuffer laterFragmentOtherBytes = tcpFrame(7000, 91, 0, 0x10, 100);
        setFragmentOffset(laterFragmentOtherBytes, 185);
        // A later fragment's "ports" are payload bytes: frames differing only there hash alike.
        assertEquals(TapLink.flowHash(laterFragment), TapLink.flowHash(laterFragmentOtherBytes));
        assertNotEquals(TapLink.flowHash(first), TapLink.flowHash(tcpFrame(5001, 80, 0, 0x10, 100)));
    }

    @Test
    void aFrameThatIsNotIpHashesByItsEtherType() {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(0x0806, TapLink.flowHash(PacketBuffer.wrap(arp, 0, arp.length)));
    }

    private static PacketBuffer tcpFrame(int sourcePort, int destinationPort, int seq, int flags, int payload) {
        byte[] f = new byte[14 + 20 + 20 + payload];
        f[12] = 0x08;
        f[14] = 0x45;
        f[14 + 9] = 6;
        f[14 + 12] = (byte) 198;
        f[14 + 13] = 18;
        f[14 + 15] = 2;
        f[14 + 16] = (byte) 198;
        f[14 + 17] = 18;
        f[14 + 19] = 1;
        f[34] = (byte) (sourcePort >> 8);
        f[35] = (byte) sourcePort;
        f[36] = (byte) (destinationPort >> 8);
        f[37] = (byte) destinationPort;
        f[38] = (byte) (seq >> 24);
        f[39] = (byte) (seq >> 16);
        f[40] = (byte) (seq >> 8);
        f[41] = (byte) seq;
        f[47] = (byte) flags;
        return PacketBuffer.wrap(f, 0, f.length);
    }

    private static void setFragmentOffset(PacketBuffer frame, int offsetIn8ByteUnits) {
        frame.array()[14 + 6] = (byte) (offsetIn8ByteUnits >> 8);
        frame.array()[14 + 7] = (byte) offsetIn8ByteUnits;
    }
}
