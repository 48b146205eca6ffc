package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.testing.Vectors;
import io.jnetstack.time.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the fragmenter (or the Linux kernel) cuts up, the reassembler puts back together. */
class Ipv4FragmentRoundTripTest {
    private final Ipv4Reassembler reassembler = new Ipv4Reassembler(new ManualClock());

    /** Feeds one fragment (IPv4 header first) to the reassembler, as the IPv4 layer would. */
    private PacketBuffer feed(PacketBuffer fragment) {
        PacketBuffer f = fragment.copy();
        Ipv4Header h = new Ipv4Header(f.array(), f.offset());
        f.truncate(h.totalLength());
        f.consume(h.headerLength());
        return reassembler.add(h.source(), h.destination(), h.protocol(), h.identification(), h.fragmentOffset(),
                h.moreFragments(), f);
    }

    @ParameterizedTest
    @ValueSource(ints = {68, 576, 1500})
    void shuffledAndDuplicatedFragmentsReassembleToTheOriginalPayload(int mtu) {
        Random random = new Random(mtu);
        PacketBuffer d = Ipv4FragmentationTest.datagram(10_000, false);
        byte[] payload = java.util.Arrays.copyOfRange(d.toByteArray(), 20, 10_020);
        List<PacketBuffer> fragments = new ArrayList<>(Ipv4Fragmenter.fragment(d, mtu, 14));
        List<PacketBuffer> arrivals = new ArrayList<>(fragments);
        for (int i = 0; i < fragments.size() / 3 + 1; i++) {
            arrivals.add(fragments.get(random.nextInt(fragments.size())));
        }
        Collections.shuffle(arrivals, random);
        PacketBuffer whole = null;
        int completions = 0;
        for (PacketBuffer f : arrivals) {
            PacketBuffer r = feed(f);
            if (r != null) {
                whole = r;
                completions++;
            }
        }
        assertNotNull(whole);
        assertArrayEquals(payload, whole.toByteArray());
        // Duplicates that arrive after completion start a new datagram that never completes.
        assertEquals(1, completions);
    }

    @Test
    void linuxFragmentedPingReassemblesToAValidEchoRequest() {
        PacketBuffer whole = null;
        for (int i = 1; i <= 3; i++) {
            byte[] frame = Vectors.frame("veth-ipv4-fragment-" + i + ".hex");
            PacketBuffer ip = PacketBuffer.wrap(frame, EthernetHeader.LENGTH, frame.length - EthernetHeader.LENGTH);
            PacketBuffer r = feed(ip);
            if (i < 3) {
                assertNull(r);
            } else {
                whole = r;
            }
        }
        assertNotNull(whole);
        // ping -s 3000: 8-byte ICMP header plus 3000 bytes of data.
        assertEquals(3008, whole.length());
        Icmpv4Header icmp = new Icmpv4Header(whole.array(), whole.offset());
        assertEquals(Icmpv4Header.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0xffff, Checksum.fold16(Checksum.add(0, whole, 0, whole.length())));
    }
}
