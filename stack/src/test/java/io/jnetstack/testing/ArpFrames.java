package io.jnetstack.testing;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.ArpHeader;
import io.jnetstack.header.EthernetHeader;

/** ARP frames (RFC 826) as a peer or an attacker on the link would send them, for injection into a NIC. */
public final class ArpFrames {
    private ArpFrames() {
    }

    /**
     * One ARP frame from {@code senderMac} to {@code ethernetDestination}: "{@code senderIp} is at
     * {@code senderMac}", asking about or answering for {@code targetIp}.
     */
    public static PacketBuffer frame(int operation, LinkAddress ethernetDestination, LinkAddress senderMac,
                                     IpAddress senderIp, LinkAddress targetMac, IpAddress targetIp) {
        PacketBuffer p = PacketBuffer.allocate(EthernetHeader.LENGTH, ArpHeader.LENGTH);
        new ArpHeader(p.array(), p.offset()).encode(operation, senderMac, senderIp.toInt(), targetMac, targetIp.toInt());
        int off = p.prepend(EthernetHeader.LENGTH);
        new EthernetHeader(p.array(), off).encode(senderMac, ethernetDestination, EthernetHeader.TYPE_ARP);
        return p;
    }

    /** A gratuitous ARP (RFC 5227 §3's announcement): a broadcast request whose sender and target are {@code ip}. */
    public static PacketBuffer gratuitous(IpAddress ip, LinkAddress claimedMac) {
        return frame(ArpHeader.OP_REQUEST, LinkAddress.BROADCAST, claimedMac, ip, LinkAddress.NONE, ip);
    }

    /** A reply unicast to {@code toMac}/{@code toIp} saying {@code ip} is at {@code claimedMac}. */
    public static PacketBuffer reply(IpAddress ip, LinkAddress claimedMac, LinkAddress toMac, IpAddress toIp) {
        return frame(ArpHeader.OP_REPLY, toMac, claimedMac, ip, toMac, toIp);
    }

    /** A broadcast request from {@code ip} at {@code mac} asking for {@code targetIp}. */
    public static PacketBuffer request(IpAddress ip, LinkAddress mac, IpAddress targetIp) {
        return frame(ArpHeader.OP_REQUEST, LinkAddress.BROADCAST, mac, ip, LinkAddress.NONE, targetIp);
    }
}
