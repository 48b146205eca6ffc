package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.ArpHeader;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.LinkAddressResolver;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.NetworkProtocol;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.StackCounter;

/**
 * ARP for IPv4 over Ethernet (RFC 826): answers requests for the NIC's addresses, learns from
 * requests and replies, and sends the requests its neighbour cache asks for.
 */
public final class ArpProtocol implements NetworkProtocol, LinkAddressResolver {
    private Counters<StackCounter> stats;

    @Override
    public int etherType() {
        return EthernetHeader.TYPE_ARP;
    }

    @Override
    public int addressLength() {
        return IpAddress.IPV4_ANY.length();
    }

    @Override
    public void attach(NetworkHost host) {
        this.stats = host.stats();
    }

    /**
     * An ARP packet received on {@code nic}; {@code packet} starts at the ARP header, and
     * {@code unicast} says whether its frame was addressed to this NIC alone.
     */
    @Override
    public void handlePacket(Nic nic, PacketBuffer packet, boolean unicast) {
        stats.increment(StackCounter.ARP_RECEIVED);
        ArpHeader arp = ArpHeader.of(packet);
        int op = arp == null ? 0 : arp.operation();
        if (op != ArpHeader.OP_REQUEST && op != ArpHeader.OP_REPLY) {
            stats.increment(StackCounter.ARP_MALFORMED);
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
        // A probe (sender 0.0.0.0, RFC 5227 §2.1.1) or a group sender address teaches nothing.
        if (!senderIp.isUnspecified() && !senderMac.isMulticast()) {
            learn(neighbors, senderIp, senderMac, op == ArpHeader.OP_REQUEST && forUs, op == ArpHeader.OP_REPLY && unicast);
        }
        if (forUs && op == ArpHeader.OP_REQUEST) {
            PacketBuffer reply = PacketBuffer.allocate(EthernetHeader.LENGTH, ArpHeader.LENGTH);
            new ArpHeader(reply.array(), reply.offset()).encode(ArpHeader.OP_REPLY, nic.link().linkAddress(),
                    targetIp.toInt(), senderMac, senderIp.toInt());
            stats.increment(StackCounter.ARP_REPLIES_SENT);
            nic.transmit(senderMac, EthernetHeader.TYPE_ARP, reply);
        }
    }

    /**
     * What the sender's addresses teach, as Linux's arp_process does with arp_accept=0. Only a
     * request to us creates an entry (RFC 826: we are about to talk back); anything else (a reply
     * nobody asked for, a gratuitous ARP, a request to another host) only updates an entry that
     * exists, so a stranger can neither fill the cache nor plant an address for a host we never
     * talked to. A reply unicast to us confirms reachability; requests and broadcasts only make the
     * entry STALE, so a spoofed announcement is probed soon after it is used (RFC 4861 §7.3.3).
     */
    private void learn(LinkAddressCache neighbors, IpAddress senderIp, LinkAddress senderMac, boolean requestToUs,
                       boolean unicastReply) {
        if (!requestToUs && neighbors.state(senderIp) == null) {
            stats.increment(StackCounter.ARP_UNSOLICITED_IGNORED);
        } else if (unicastReply) {
            neighbors.update(senderIp, senderMac);
        } else {
            neighbors.updateUnconfirmed(senderIp, senderMac);
        }
    }

    /**
     * Sends a request for {@code target}'s link address on {@code nic}: broadcast when
     * {@code probedAddress} is null, else unicast to it (a reachability probe, as Linux's arp_solicit
     * sends in the PROBE state).
     */
    @Override
    public void sendRequest(Nic nic, IpAddress target, LinkAddress probedAddress) {
        IpAddress source = nic.sourceAddressFor(target);
        if (source == null || !source.isV4()) {
            return;
        }
        PacketBuffer request = PacketBuffer.allocate(EthernetHeader.LENGTH, ArpHeader.LENGTH);
        new ArpHeader(request.array(), request.offset()).encode(ArpHeader.OP_REQUEST, nic.link().linkAddress(),
                source.toInt(), LinkAddress.NONE, target.toInt());
        stats.increment(probedAddress == null ? StackCounter.ARP_REQUESTS_SENT : StackCounter.ARP_PROBES_SENT);
        nic.transmit(probedAddress == null ? LinkAddress.BROADCAST : probedAddress, EthernetHeader.TYPE_ARP, request);
    }
}
