package io.jnetstack.header;

import io.jnetstack.buffer.PacketBuffer;

/**
 * Walks the extension headers of a received IPv6 packet (RFC 8200 §4) from its fixed header to the
 * upper-layer header, a fragment header, or a reason to drop it. The walk is bounded: at most
 * {@link #MAX_EXTENSION_HEADERS} headers, each checked to lie inside the packet, so a crafted chain
 * costs a few reads and never loops.
 *
 * <p>What RFC 8200 asks of a host, which forwards nothing: a hop-by-hop header only right after
 * the fixed header (§4.3); options it does not know handled by the two high bits of their type
 * (§4.2); a routing header with segments left ignored, one with segments left discarded with a
 * parameter problem at its routing type, since this host knows no routing type (§4.4); a
 * fragment header ends the walk so the packet can be reassembled, unless it is an atomic fragment
 * (offset 0, M clear), which is processed at once (RFC 6946 §4).
 */
public final class Ipv6ExtensionHeaders {
    /** Linux allows no more than 8 per packet through its hop-by-hop and destination limits; so do we for all. */
    public static final int MAX_EXTENSION_HEADERS = 8;
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    /** ICMPv6 parameter problem codes (RFC 4443 §3.4). */
    public static final int CODE_ERRONEOUS_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;

    private static final int OPTION_PAD1 = 0;
    private static final int OPTION_PADN = 1;

    /** How a walk ended. */
    public enum Outcome {
        /** {@link Walk#protocol} starts at {@link Walk#offset}; whether it is known is the caller's question. */
        UPPER_LAYER,
        /** A non-atomic fragment: {@link Walk} holds its fragment fields. */
        FRAGMENT,
        /** Next header 59: nothing follows (RFC 8200 §4.7); dropped silently. */
        NO_NEXT_HEADER,
        /** Malformed or too long a chain, or an option that says "discard": dropped, counted, nothing sent. */
        DISCARD,
        /** Dropped with an ICMPv6 parameter problem {@link Walk#problemCode} at {@link Walk#problemPointer}. */
        PARAMETER_PROBLEM
    }

    /** The result of a walk: offsets count from the start of the fixed header. */
    public static final class Walk {
        public Outcome outcome;
        public int protocol;
        public int offset;
        public int problemCode;
        public int problemPointer;
        /** A parameter problem that must not be sent when the packet went to a multicast address (§4.2, action 10 vs 11). */
        public boolean problemOnlyForUnicast;
        public int fragmentOffsetBytes;
        public boolean moreFragments;
        public int identification;
        /** Offset of the fragment header: the unfragmentable part ends there. */
        public int fragmentHeaderOffset;
        /** Offset of the next-header field naming the header at {@link #offset}. */
        public int nextHeaderFieldOffset;

        /** As a new walk: only what the next walk finds is set. */
        private void clear() {
            outcome = null;
            protocol = 0;
            offset = 0;
            problemCode = 0;
            problemPointer = 0;
            problemOnlyForUnicast = false;
            fragmentOffsetBytes = 0;
            moreFragments = false;
            identification = 0;
            fragmentHeaderOffset = 0;
            nextHeaderFieldOffset = 0;
        }

        private Outcome problem(int code, int pointer, boolean onlyForUnicast) {
            problemCode = code;
            problemPointer = pointer;
            problemOnlyForUnicast = onlyForUnicast;
            return Outcome.PARAMETER_PROBLEM;
        }
    }

    private Ipv6ExtensionHeaders() {
    }

    /**
     * Walks {@code packet}, which starts at a checked {@link Ipv6Header} and was truncated to its
     * payload length.
     */
    public static Walk walk(PacketBuffer packet) {
        return walk(packet, new Walk());
    }

    /**
     * As {@link #walk(PacketBuffer)}, into {@code into}, whose previous values are all replaced:
     * one walk object can serve packet after packet. Returns {@code into}.
     */
    public static Walk walk(PacketBuffer packet, Walk into) {
        into.clear();
        into.outcome = walkInto(into, packet, Ipv6Header.LENGTH, Ipv6Header.NEXT_HEADER_OFFSET,
                packet.getByte(Ipv6Header.NEXT_HEADER_OFFSET), false);
        return into;
    }

    /**
     * Walks on from {@code offset}, where a header of type {@code next} starts as named by the
     * field at {@code nextHeaderField}. {@code afterFragment} is true for a reassembled payload,
     * where a second fragment header is discarded.
     */
    public static Walk walk(PacketBuffer packet, int offset, int nextHeaderField, int next, boolean afterFragment) {
        Walk w = new Walk();
        w.outcome = walkInto(w, packet, offset, nextHeaderField, next, afterFragment);
        return w;
    }

    private static Outcome walkInto(Walk w, PacketBuffer packet, int off, int nextField, int next, boolean fragmentSeen) {
        for (int count = 0; count <= MAX_EXTENSION_HEADERS; count++) {
            w.offset = off;
            w.protocol = next;
            w.nextHeaderFieldOffset = nextField;
            switch (next) {
                case Ipv6Header.NEXT_NONE -> {
                    return Outcome.NO_NEXT_HEADER;
                }
                case Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_DESTINATION_OPTIONS, Ipv6Header.NEXT_ROUTING -> {
                    if (next == Ipv6Header.NEXT_HOP_BY_HOP && off != Ipv6Header.LENGTH) {
                        // §4.3: only right after the fixed header; anywhere else it is an unrecognized next header.
                        return w.problem(CODE_UNRECOGNIZED_NEXT_HEADER, nextField, false);
                    }
                    if (!packet.ensureFront(off + 2) || count == MAX_EXTENSION_HEADERS) {
                        return Outcome.DISCARD;
                    }
                    int length = (packet.getByte(off + 1) + 1) * 8;
                    if (off + length > packet.length() || !packet.ensureFront(off + length)) {
                        return Outcome.DISCARD;
                    }
                    Outcome o = next == Ipv6Header.NEXT_ROUTING ? checkRouting(w, packet, off) : checkOptions(w, packet, off, length);
                    if (o != null) {
                        return o;
                    }
                    nextField = off;
                    next = packet.getByte(off);
                    off += length;
                }
                case Ipv6Header.NEXT_FRAGMENT -> {
                    if (fragmentSeen || count == MAX_EXTENSION_HEADERS || off + FRAGMENT_HEADER_LENGTH > packet.length()
                            || !packet.ensureFront(off + FRAGMENT_HEADER_LENGTH)) {
                        return Outcome.DISCARD;
                    }
                    byte[] a = packet.array();
                    int p = packet.offset() + off;
                    int offsetAndFlags = Bytes.u16(a, p + 2);
                    w.fragmentOffsetBytes = offsetAndFlags & 0xfff8;
                    w.moreFragments = (offsetAndFlags & 1) != 0;
                    w.identification = Bytes.i32(a, p + 4);
                    w.fragmentHeaderOffset = off;
                    fragmentSeen = true;
                    nextField = off;
                    next = packet.getByte(off);
                    off += FRAGMENT_HEADER_LENGTH;
                    if (w.fragmentOffsetBytes != 0 || w.moreFragments) {
                        w.protocol = next;
                        w.offset = off;
                        w.nextHeaderFieldOffset = nextField;
                        return Outcome.FRAGMENT;
                    }
                    // RFC 6946 §4: an atomic fragment is processed in isolation, never reassembled.
                }
                default -> {
                    return Outcome.UPPER_LAYER;
                }
            }
        }
        return Outcome.DISCARD;
    }

    /** §4.4: segments left 0 is ignored; otherwise no routing type is known to a host. */
    private static Outcome checkRouting(Walk w, PacketBuffer packet, int off) {
        int segmentsLeft = packet.getByte(off + 3);
        return segmentsLeft == 0 ? null : w.problem(CODE_ERRONEOUS_FIELD, off + 2, false);
    }

    /** §4.2: options are type-length-value; Pad1 and PadN are known, others act by their high two bits. */
    private static Outcome checkOptions(Walk w, PacketBuffer packet, int off, int length) {
        int end = off + length;
        int i = off + 2;
        while (i < end) {
            int type = packet.getByte(i);
            if (type == OPTION_PAD1) {
                i++;
                continue;
            }
            if (i + 2 > end) {
                return Outcome.DISCARD;
            }
            int optionEnd = i + 2 + packet.getByte(i + 1);
            if (optionEnd > end) {
                return Outcome.DISCARD;
            }
            if (type != OPTION_PADN) {
                switch (type >>> 6) {
                    case 0 -> { } // skip over it
                    case 1 -> {
                        return Outcome.DISCARD;
                    }
                    case 2 -> {
                        return w.problem(CODE_UNRECOGNIZED_OPTION, i, false);
                    }
                    default -> {
                        return w.problem(CODE_UNRECOGNIZED_OPTION, i, true);
                    }
                }
            }
            i = optionEnd;
        }
        return null;
    }
}
