package io.jnetstack.header;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;

/**
 * View over an ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol type
 * 0x0800, address lengths 6 and 4, then the operation and the four addresses.
 */
public final class ArpHeader {
    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;
    private static final int HTYPE_ETHERNET = 1;

    private final byte[] b;
    private final int o;

    /** A view for writing a packet into room the caller reserved; received packets go through {@link #of}. */
    public ArpHeader(byte[] array, int offset) {
        this.b = array;
        this.o = offset;
    }

    /**
     * The ARP packet at the start of {@code packet}, made contiguous, or null when it is too short or
     * is not the Ethernet/IPv4 flavour: the field offsets of this view follow from hardware and
     * protocol address lengths 6 and 4 (RFC 826 "Packet format"), so no other flavour can be read.
     */
    public static ArpHeader of(PacketBuffer packet) {
        if (!packet.ensureFront(LENGTH)) {
            return null;
        }
        ArpHeader arp = new ArpHeader(packet.array(), packet.offset());
        return arp.isEthernetIpv4() ? arp : null;
    }

    private boolean isEthernetIpv4() {
        return Bytes.u16(b, o + HTYPE) == HTYPE_ETHERNET && Bytes.u16(b, o + PTYPE) == EthernetHeader.TYPE_IPV4
                && Bytes.u8(b, o + HLEN) == LinkAddress.LENGTH && Bytes.u8(b, o + PLEN) == 4;
    }

    public int operation() {
        return Bytes.u16(b, o + OPER);
    }

    public LinkAddress senderHardwareAddress() {
        return LinkAddress.of(b, o + SHA);
    }

    public int senderProtocolAddress() {
        return Bytes.i32(b, o + SPA);
    }

    public LinkAddress targetHardwareAddress() {
        return LinkAddress.of(b, o + THA);
    }

    public int targetProtocolAddress() {
        return Bytes.i32(b, o + TPA);
    }

    public void encode(int operation, LinkAddress senderHw, int senderIp, LinkAddress targetHw, int targetIp) {
        Bytes.put16(b, o + HTYPE, HTYPE_ETHERNET);
        Bytes.put16(b, o + PTYPE, EthernetHeader.TYPE_IPV4);
        Bytes.put8(b, o + HLEN, LinkAddress.LENGTH);
        Bytes.put8(b, o + PLEN, 4);
        Bytes.put16(b, o + OPER, operation);
        senderHw.writeTo(b, o + SHA);
        Bytes.put32(b, o + SPA, senderIp);
        targetHw.writeTo(b, o + THA);
        Bytes.put32(b, o + TPA, targetIp);
    }
}
