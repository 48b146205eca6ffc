package io.jnetstack.network;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv4Header;
import java.util.ArrayList;
import java.util.List;

/** Splits an IPv4 datagram that exceeds the MTU (RFC 791 §3.2, "fragmentation procedure"). */
public final class Ipv4Fragmenter {
    private Ipv4Fragmenter() {
    }

    /**
     * Splits {@code datagram} (a 20-byte IPv4 header without options, then the payload) into
     * fragments of at most {@code mtu} bytes, each with {@code headroom} bytes free in front for
     * the link header. Every fragment but the last carries a multiple of 8 payload bytes; each
     * header is the original's with total length, MF, fragment offset and checksum rewritten. A
     * datagram that is itself a fragment (when forwarding) keeps its offset base and its MF on the
     * last piece. Payload bytes are referenced from {@code datagram}, not copied, so the caller
     * hands it over.
     *
     * @return the fragments in offset order; the datagram itself if it already fits
     * @throws IllegalArgumentException if DF is set, the header has options, the buffer is shorter
     *                                  than the header's total length, or mtu is below 68
     */
    public static List<PacketBuffer> fragment(PacketBuffer datagram, int mtu, int headroom) {
        if (mtu < Ipv4Header.MIN_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " is below the IPv4 minimum of " + Ipv4Header.MIN_MTU);
        }
        if (!datagram.ensureFront(Ipv4Header.MIN_LENGTH)) {
            throw new IllegalArgumentException("datagram shorter than an IPv4 header: " + datagram.length());
        }
        Ipv4Header original = new Ipv4Header(datagram.array(), datagram.offset());
        if (original.headerLength() != Ipv4Header.MIN_LENGTH) {
            throw new IllegalArgumentException("IPv4 options are not supported when fragmenting");
        }
        if (original.dontFragment()) {
            throw new IllegalArgumentException("DF is set: the caller must send ICMP fragmentation needed instead");
        }
        int totalLength = original.totalLength();
        if (totalLength > datagram.length() || totalLength < Ipv4Header.MIN_LENGTH) {
            throw new IllegalArgumentException("total length " + totalLength + " does not match buffer of " + datagram.length());
        }
        if (totalLength <= mtu) {
            return List.of(datagram);
        }
        int payloadLength = totalLength - Ipv4Header.MIN_LENGTH;
        // RFC 791: NFB, the number of 8-octet blocks that fit after the header.
        int maxFragmentPayload = (mtu - Ipv4Header.MIN_LENGTH) & ~7;
        int baseOffset = original.fragmentOffset();
        boolean originalMoreFragments = original.moreFragments();

        List<PacketBuffer> fragments = new ArrayList<>(payloadLength / maxFragmentPayload + 1);
        for (int start = 0; start < payloadLength; start += maxFragmentPayload) {
            int n = Math.min(maxFragmentPayload, payloadLength - start);
            boolean last = start + n == payloadLength;
            PacketBuffer f = PacketBuffer.allocate(headroom, Ipv4Header.MIN_LENGTH);
            byte[] a = f.array();
            System.arraycopy(datagram.array(), datagram.offset(), a, f.offset(), Ipv4Header.MIN_LENGTH);
            Ipv4Header h = new Ipv4Header(a, f.offset());
            h.setTotalLength(Ipv4Header.MIN_LENGTH + n);
            h.setFragment(false, !last || originalMoreFragments, baseOffset + start);
            h.updateChecksum();
            datagram.forEachRange(Ipv4Header.MIN_LENGTH + start, n, f::appendSlice);
            fragments.add(f);
        }
        return fragments;
    }
}
