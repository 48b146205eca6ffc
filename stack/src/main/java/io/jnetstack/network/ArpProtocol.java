package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.ArpHeader;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;

/**
 * ARP for IPv4 over Ethernet (RFC 826): answers requests for the NIC's addresses, learns from
 * requests and replies, and sends the requests its neighbour cache asks for.
 */
public final class ArpProtocol {
    private final Stack stack;

    public ArpProtocol(Stack stack) {
        this.stack = stack;
    }

    /** An ARP packet received on {@code nic}; {@code packet} starts at the ARP header. */
    public void handlePacket(Nic nic, PacketBuffer packet) {
        stack.stats().increment(StackCounter.ARP_RECEIVED);
        ArpHeader arp = ArpHeader.of(packet);
        if (arp == null || (arp.operation() != ArpHeader.OP_REQUEST && arp.operation() != ArpHeader.OP_REPLY)) {
            stack.stats().increment(StackCounter.ARP_MALFORMED);
            return;
        }
        LinkAddressCache neighbors = nic.neighbors();
        if (neighbors == null) {
            return;
        }
        IpAddress senderIp = IpAddress.v4(arp.senderProtocolAddress());
        LinkAddress senderMac = arp.senderHardwareAddress();
        IpAddress targetIp = IpAddress.v4(arp.targetProtocolAddress());
        boolean forUs = nic.hasAddress(targetIp);
        // RFC 826 "Packet Reception": update an existing entry for the sender (the merge flag), and
        // add one when we are the target. A probe (sender 0.0.0.0, RFC 5227 §2.1.1) or a group
        // sender address teaches nothing.
        boolean learnable = !senderIp.isUnspecified() && !senderMac.isMulticast();
        if (learnable && (forUs || neighbors.state(senderIp) != null)) {
            neighbors.update(senderIp, senderMac);
        }
        if (forUs && arp.operation() == ArpHeader.OP_REQUEST) {
            PacketBuffer reply = PacketBuffer.allocate(EthernetHeader.LENGTH, ArpHeader.LENGTH);
            new ArpHeader(reply.array(), reply.offset()).encode(ArpHeader.OP_REPLY, nic.link().linkAddress(),
                    targetIp.toInt(), senderMac, senderIp.toInt());
            stack.stats().increment(StackCounter.ARP_REPLIES_SENT);
            nic.transmit(senderMac, EthernetHeader.TYPE_ARP, reply);
        }
    }

    /** Broadcasts a request for {@code target}'s link address on {@code nic}. */
    public void sendRequest(Nic nic, IpAddress target) {
        IpAddress source = nic.sourceAddressFor(target);
        if (source == null || !source.isV4()) {
            return;
        }
        PacketBuffer request = PacketBuffer.allocate(EthernetHeader.LENGTH, ArpHeader.LENGTH);
        new ArpHeader(request.array(), request.offset()).encode(ArpHeader.OP_REQUEST, nic.link().linkAddress(),
                source.toInt(), LinkAddress.NONE, target.toInt());
        stack.stats().increment(StackCounter.ARP_REQUESTS_SENT);
        nic.transmit(LinkAddress.BROADCAST, EthernetHeader.TYPE_ARP, request);
    }
}
