package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ARP packets read from and written as the kernel's. */
class ArpHeaderTest {
    private static ArpHeader arp(byte[] frame) {
        return new ArpHeader(frame, EthernetHeader.LENGTH);
    }

    @Test
    void readsTheKernelsRequest() {
        ArpHeader a = arp(VethFrames.frame("arp-request"));
        assertTrue(a.isEthernetIpv4());
        assertEquals(ArpHeader.OP_REQUEST, a.operation());
        assertEquals(VethFrames.MAC_1, a.senderHardwareAddress());
        assertEquals(VethFrames.IP_1, a.senderProtocolAddress());
        assertEquals(LinkAddress.NONE, a.targetHardwareAddress());
        assertEquals(VethFrames.IP_2, a.targetProtocolAddress());
    }

    @Test
    void readsTheKernelsReply() {
        ArpHeader a = arp(VethFrames.frame("arp-reply"));
        assertEquals(ArpHeader.OP_REPLY, a.operation());
        assertEquals(VethFrames.MAC_2, a.senderHardwareAddress());
        assertEquals(VethFrames.IP_2, a.senderProtocolAddress());
        assertEquals(VethFrames.MAC_1, a.targetHardwareAddress());
        assertEquals(VethFrames.IP_1, a.targetProtocolAddress());
    }

    @Test
    void encodeWritesTheKernelsReply() {
        byte[] frame = VethFrames.frame("arp-reply");
        byte[] out = new byte[ArpHeader.LENGTH];
        new ArpHeader(out, 0).encode(ArpHeader.OP_REPLY, VethFrames.MAC_2, VethFrames.IP_2, VethFrames.MAC_1, VethFrames.IP_1);
        assertArrayEquals(Arrays.copyOfRange(frame, EthernetHeader.LENGTH, EthernetHeader.LENGTH + ArpHeader.LENGTH), out);
    }

    @Test
    void otherHardwareTypeIsNotEthernetIpv4() {
        byte[] frame = VethFrames.frame("arp-request");
        frame[EthernetHeader.LENGTH + 1] = 6; // IEEE 802 networks
        assertFalse(arp(frame).isEthernetIpv4());
    }
}
