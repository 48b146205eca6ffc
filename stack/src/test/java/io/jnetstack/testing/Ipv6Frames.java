package io.jnetstack.testing;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6Header;

/** IPv6 frames as a peer or an attacker on an Ethernet link would send them, for injection into a NIC. */
public final class Ipv6Frames {
    public static final LinkAddress PEER_MAC = LinkAddress.parse("02:00:00:00:00:66");

    private Ipv6Frames() {
    }

    /**
     * An Ethernet frame from {@link #PEER_MAC} to {@code to} holding an IPv6 header ({@code nextHeader},
     * {@code hopLimit}) and {@code payload} as given (extension headers included).
     */
    public static PacketBuffer frame(LinkAddress to, IpAddress source, IpAddress destination, int nextHeader,
                                     int hopLimit, byte[] payload) {
        PacketBuffer p = PacketBuffer.allocate(EthernetHeader.LENGTH + Ipv6Header.LENGTH, payload.length);
        System.arraycopy(payload, 0, p.array(), p.offset(), payload.length);
        int off = p.prepend(Ipv6Header.LENGTH);
        new Ipv6Header(p.array(), off).encode(source, destination, nextHeader, hopLimit, payload.length);
        off = p.prepend(EthernetHeader.LENGTH);
        new EthernetHeader(p.array(), off).encode(PEER_MAC, to, EthernetHeader.TYPE_IPV6);
        return p;
    }

    /** An ICMPv6 message of {@code type}, code 0, with {@code body} after the 4-byte header, checksummed. */
    public static PacketBuffer icmp(LinkAddress to, IpAddress source, IpAddress destination, int hopLimit, int type,
                                    byte[] body) {
        byte[] message = new byte[4 + body.length];
        message[0] = (byte) type;
        System.arraycopy(body, 0, message, 4, body.length);
        int sum = Checksum.add(Checksum.pseudoHeader(source, destination, Ipv6Header.NEXT_ICMPV6, message.length),
                message, 0, message.length);
        int checksum = Checksum.finish(sum);
        message[2] = (byte) (checksum >>> 8);
        message[3] = (byte) checksum;
        return frame(to, source, destination, Ipv6Header.NEXT_ICMPV6, hopLimit, message);
    }

    /** A neighbor solicitation or advertisement body: flags word, target, then a link-address option if {@code optionType} is not 0. */
    public static byte[] neighborBody(int flags, IpAddress target, int optionType, LinkAddress mac) {
        byte[] b = new byte[20 + (optionType == 0 ? 0 : 8)];
        b[0] = (byte) (flags >>> 24);
        target.writeTo(b, 4);
        if (optionType != 0) {
            b[20] = (byte) optionType;
            b[21] = 1;
            mac.writeTo(b, 22);
        }
        return b;
    }

    /** A router advertisement body: hop limit 64, router lifetime {@code lifetimeSeconds}, a source link-address option. */
    public static byte[] routerAdvertisementBody(int lifetimeSeconds, LinkAddress mac) {
        byte[] b = new byte[12 + 8];
        b[0] = 64;
        b[2] = (byte) (lifetimeSeconds >>> 8);
        b[3] = (byte) lifetimeSeconds;
        b[12] = 1;
        b[13] = 1;
        mac.writeTo(b, 14);
        return b;
    }

    /** An echo request body: identifier, sequence, data. */
    public static byte[] echoBody(int identifier, int sequence, byte[] data) {
        byte[] b = new byte[4 + data.length];
        b[0] = (byte) (identifier >>> 8);
        b[1] = (byte) identifier;
        b[2] = (byte) (sequence >>> 8);
        b[3] = (byte) sequence;
        System.arraycopy(data, 0, b, 4, data.length);
        return b;
    }
}
