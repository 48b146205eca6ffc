package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.LinkAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ethernet II headers read from and written as the kernel's frames. */
class EthernetHeaderTest {
    @Test
    void readsABroadcastArpFrame() {
        EthernetHeader eth = EthernetHeader.of(VethFrames.packetAt(VethFrames.frame("arp-request"), 0));
        assertEquals(LinkAddress.BROADCAST, eth.destination());
        assertEquals(VethFrames.MAC_1, eth.source());
        assertEquals(EthernetHeader.TYPE_ARP, eth.etherType());
        assertTrue(eth.isGroupDestination());
    }

    @Test
    void readsAUnicastIpv4Frame() {
        EthernetHeader eth = EthernetHeader.of(VethFrames.packetAt(VethFrames.frame("icmp-echo-reply"), 0));
        assertEquals(VethFrames.MAC_1, eth.destination());
        assertEquals(VethFrames.MAC_2, eth.source());
        assertEquals(EthernetHeader.TYPE_IPV4, eth.etherType());
        assertFalse(eth.isGroupDestination());
        assertTrue(eth.isDestination(VethFrames.MAC_1));
        assertFalse(eth.isDestination(VethFrames.MAC_2));
    }

    @Test
    void encodeWritesTheKernelsBytes() {
        byte[] frame = VethFrames.frame("icmp-echo-request");
        byte[] out = new byte[EthernetHeader.LENGTH + 2];
        new EthernetHeader(out, 2).encode(VethFrames.MAC_1, VethFrames.MAC_2, EthernetHeader.TYPE_IPV4);
        assertArrayEquals(Arrays.copyOf(frame, EthernetHeader.LENGTH), Arrays.copyOfRange(out, 2, out.length));
    }
}
