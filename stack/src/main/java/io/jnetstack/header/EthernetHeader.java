package io.jnetstack.header;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an Ethernet II header (IEEE 802.3 with an EtherType, RFC 894): destination MAC,
 * source MAC, EtherType. Reads and writes in place.
 */
public final class EthernetHeader {
    public static final int LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86dd;

    private static final int DST = 0;
    private static final int SRC = 6;
    private static final int TYPE = 12;

    private byte[] b;
    private int o;

    /** A view for writing a header into room the caller reserved; received frames go through {@link #of}. */
    public EthernetHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * The header at the start of a received frame, made contiguous, or null when the frame is too
     * short to hold one.
     */
    public static EthernetHeader of(PacketBuffer frame) {
        EthernetHeader eth = new EthernetHeader();
        return eth.wrap(frame) ? eth : null;
    }

    /**
     * A view that points at nothing until {@link #wrap} points it at a received frame: one such
     * view can read frame after frame without a new object for each.
     */
    public EthernetHeader() {
        this(null, 0);
    }

    /**
     * Points this view at the header at the start of {@code frame}, made contiguous; false, and the
     * view must then not be read, when the frame is too short to hold one.
     */
    public boolean wrap(PacketBuffer frame) {
        if (!frame.ensureFront(LENGTH)) {
            return false;
        }
        b = frame.array(); // after ensureFront, which may move the bytes
        o = frame.offset();
        return true;
    }

    public LinkAddress destination() {
        return LinkAddress.of(b, o + DST);
    }

    public LinkAddress source() {
        return LinkAddress.of(b, o + SRC);
    }

    public int etherType() {
        return Bytes.u16(b, o + TYPE);
    }

    /** True if the frame is addressed to {@code address} (no allocation). */
    public boolean isDestination(LinkAddress address) {
        return address.matches(b, o + DST);
    }

    /**
     * The low 23 bits of an IPv4 multicast destination (01-00-5E-00-00-00 to 01-00-5E-7F-FF-FF,
     * RFC 1112 §6.4), which are a group's; -1 for any other destination.
     */
    public int ipv4MulticastBits() {
        if ((b[o + DST] & 0xff) != 0x01 || b[o + DST + 1] != 0 || (b[o + DST + 2] & 0xff) != 0x5e || (b[o + DST + 3] & 0x80) != 0) {
            return -1;
        }
        return ((b[o + DST + 3] & 0x7f) << 16) | ((b[o + DST + 4] & 0xff) << 8) | (b[o + DST + 5] & 0xff);
    }

    /** True if the destination is a group (broadcast or multicast) address. */
    public boolean isGroupDestination() {
        return (b[o + DST] & 1) != 0;
    }

    public void encode(LinkAddress source, LinkAddress destination, int etherType) {
        destination.writeTo(b, o + DST);
        source.writeTo(b, o + SRC);
        Bytes.put16(b, o + TYPE, etherType);
    }
}
