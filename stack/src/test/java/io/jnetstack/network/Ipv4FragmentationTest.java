package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fragments Ipv4Fragmenter makes follow RFC 791's fragmentation procedure. */
class Ipv4FragmentationTest {
    static final int SRC = 0x0a000001;
    static final int DST = 0x0a000002;

    /** A datagram with a 20-byte header and a patterned payload of {@code payloadLength} bytes. */
    static PacketBuffer datagram(int payloadLength, boolean dontFragment) {
        byte[] payload = ReassemblyFixture.pattern(payloadLength);
        PacketBuffer p = PacketBuffer.withHeadroom(Ipv4Header.MIN_LENGTH, payload, 0, payloadLength);
        int at = p.prepend(Ipv4Header.MIN_LENGTH);
        new Ipv4Header(p.array(), at).encode(Ipv4Fields.of(SRC, DST, Ipv4Header.PROTOCOL_UDP, 64, 0x4242,
                Ipv4Header.MIN_LENGTH + payloadLength, dontFragment));
        return p;
    }

    private static Ipv4Header header(PacketBuffer p) {
        return new Ipv4Header(p.array(), p.offset());
    }

    @Test
    void everyFragmentFitsTheMtu() {
        for (PacketBuffer f : Ipv4Fragmenter.fragment(datagram(4000, false), 576, 14)) {
            assertTrue(f.length() <= 576, "fragment of " + f.length());
        }
    }

    @Test
    void fragmentsCarryAsManyEightByteBlocksAsFitAndTheLastTheRest() {
        // 1500 - 20 = 1480 = 185 blocks; 4000 = 1480 + 1480 + 1040.
        List<PacketBuffer> fs = Ipv4Fragmenter.fragment(datagram(4000, false), 1500, 14);
        assertEquals(List.of(1500, 1500, 1060), fs.stream().map(PacketBuffer::length).toList());
    }

    @Test
    void minimumMtuGivesFortyEightBytePieces() {
        List<PacketBuffer> fs = Ipv4Fragmenter.fragment(datagram(100, false), 68, 0);
        assertEquals(List.of(68, 68, 24), fs.stream().map(PacketBuffer::length).toList());
    }

    @Test
    void offsetsAndMoreFragmentsFlagsFollowTheSplit() {
        List<PacketBuffer> fs = Ipv4Fragmenter.fragment(datagram(4000, false), 1500, 14);
        assertEquals(List.of(0, 1480, 2960), fs.stream().map(f -> header(f).fragmentOffset()).toList());
        assertEquals(List.of(true, true, false), fs.stream().map(f -> header(f).moreFragments()).toList());
    }

    @Test
    void headersKeepTheOriginalFieldsWithTheirOwnLengthAndValidChecksums() {
        for (PacketBuffer f : Ipv4Fragmenter.fragment(datagram(4000, false), 1500, 14)) {
            Ipv4Header h = header(f);
            assertEquals(f.length(), h.totalLength());
            assertEquals(0x4242, h.identification());
            assertEquals(SRC, h.source());
            assertEquals(DST, h.destination());
            assertEquals(Ipv4Header.PROTOCOL_UDP, h.protocol());
            assertEquals(64, h.ttl());
            assertFalse(h.dontFragment());
            assertTrue(h.isChecksumValid());
        }
    }

    @Test
    void fragmentsReserveTheRequestedHeadroom() {
        for (PacketBuffer f : Ipv4Fragmenter.fragment(datagram(4000, false), 1500, 14)) {
            assertEquals(14, f.headroom());
        }
    }

    @Test
    void fragmentPayloadsConcatenateToTheOriginalPayload() {
        PacketBuffer d = datagram(4000, false);
        byte[] original = d.toByteArray();
        byte[] joined = new byte[4000];
        for (PacketBuffer f : Ipv4Fragmenter.fragment(d, 1500, 14)) {
            int n = f.length() - Ipv4Header.MIN_LENGTH;
            f.copyTo(Ipv4Header.MIN_LENGTH, joined, header(f).fragmentOffset(), n);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(original, 20, 4020), joined);
    }

    @Test
    void aFragmentBeingFragmentedAgainKeepsItsOffsetAndMoreFragments() {
        PacketBuffer d = datagram(1480, false);
        Ipv4Header h = header(d);
        h.setFragment(false, true, 1480);
        h.updateChecksum();
        List<PacketBuffer> fs = Ipv4Fragmenter.fragment(d, 576, 0);
        assertEquals(List.of(1480, 2032, 2584), fs.stream().map(f -> header(f).fragmentOffset()).toList());
        assertTrue(fs.stream().allMatch(f -> header(f).moreFragments()));
    }

    @Test
    void datagramThatFitsIsReturnedAsIs() {
        PacketBuffer d = datagram(100, false);
        assertEquals(List.of(d), Ipv4Fragmenter.fragment(d, 1500, 14));
        assertSame(d, Ipv4Fragmenter.fragment(d, 1500, 14).get(0));
    }

    @Test
    void dontFragmentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Fragmenter.fragment(datagram(4000, true), 1500, 14));
    }

    @Test
    void mtuBelowSixtyEightIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Fragmenter.fragment(datagram(4000, false), 67, 14));
    }
}
