package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ARP packets read from and written as the kernel's. */
class ArpHeaderTest {
    private static ArpHeader arp(byte[] frame) {
        return ArpHeader.of(VethFrames.packetAt(frame, EthernetHeader.LENGTH));
    }

    @Test
    void readsTheKernelsRequest() {
        ArpHeader a = arp(VethFrames.frame("arp-request"));
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
    void otherHardwareTypeIsRefused() {
        byte[] frame = VethFrames.frame("arp-request");
        frame[EthernetHeader.LENGTH + 1] = 6; // IEEE 802 networks
        assertNull(arp(frame));
    }

    @ParameterizedTest
    @CsvSource({"2, 0x86", "4, 8", "5, 16"}) // protocol type IPv6, hardware length 8, protocol length 16
    void otherAddressLayoutsAreRefused(int field, int value) {
        byte[] frame = VethFrames.frame("arp-request");
        frame[EthernetHeader.LENGTH + field] = (byte) value;
        assertNull(arp(frame));
    }

    @Test
    void aTruncatedPacketIsRefused() {
        byte[] frame = VethFrames.frame("arp-request");
        assertNull(ArpHeader.of(PacketBuffer.wrap(frame, EthernetHeader.LENGTH, ArpHeader.LENGTH - 1)));
    }
}
