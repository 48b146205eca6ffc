package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** UDP headers read from and written as the kernel's. */
class UdpHeaderTest {
    @Test
    void readsTheKernelsDatagram() {
        UdpHeader u = UdpHeader.of(VethFrames.packetAt(VethFrames.frame("udp-datagram"), VethFrames.TRANSPORT_AT));
        assertEquals(40000, u.sourcePort());
        assertEquals(5000, u.destinationPort());
        assertEquals(UdpHeader.LENGTH + 6, u.length());
        assertEquals(0x7605, u.checksum());
    }

    @Test
    void kernelChecksumVerifiesOverThePseudoHeader() {
        assertTrue(VethFrames.transportChecksumVerifies(VethFrames.frame("udp-datagram")));
    }

    @Test
    void aChangedPayloadByteFailsTheChecksum() {
        byte[] frame = VethFrames.frame("udp-datagram");
        frame[frame.length - 1] ^= 0x20;
        assertFalse(VethFrames.transportChecksumVerifies(frame));
    }

    @Test
    void encodeAndChecksumWriteTheKernelsBytes() {
        byte[] expected = VethFrames.frame("udp-datagram");
        byte[] frame = expected.clone();
        UdpHeader u = new UdpHeader(frame, VethFrames.TRANSPORT_AT);
        u.encode(40000, 5000, 14);
        u.setChecksum(VethFrames.transportChecksum(frame));
        assertArrayEquals(expected, frame);
    }

    @Test
    void aComputedZeroChecksumIsSentAsAllOnes() {
        byte[] b = new byte[UdpHeader.LENGTH];
        UdpHeader u = new UdpHeader(b, 0);
        u.setChecksum(0);
        assertEquals(0xffff, u.checksum());
    }
}
