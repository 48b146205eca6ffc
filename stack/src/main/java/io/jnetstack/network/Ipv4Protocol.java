package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportProtocol;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPv4 (RFC 791) for a host (RFC 1122 §3.2): validates and reassembles what arrives and hands it
 * to ICMP or the transport protocol; adds headers to what leaves and fragments it to the MTU. The
 * stack does not forward: packets for other hosts are counted and dropped.
 */
public final class Ipv4Protocol {
    private final Stack stack;
    private final Counters<StackCounter> stats;
    private final Ipv4Reassembler reassembler;
    // RFC 6864 §4.1: IDs only need to be unique per (src, dst, protocol) within a datagram's
    // lifetime; one counter from a random start serves every flow.
    private final AtomicInteger nextId = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    public Ipv4Protocol(Stack stack, long reassemblyTimeoutNanos, int reassemblyMemoryLimit) {
        this.stack = stack;
        this.stats = stack.stats();
        this.reassembler = new Ipv4Reassembler(stack.clock(), reassemblyTimeoutNanos, reassemblyMemoryLimit, stats);
    }

    public Ipv4Reassembler reassembler() {
        return reassembler;
    }

    /** An IPv4 packet received on {@code nic}; {@code packet} starts at the IPv4 header. */
    public void handlePacket(Nic nic, PacketBuffer packet) {
        stats.increment(StackCounter.IPV4_RECEIVED);
        // RFC 1122 §3.2.1.1-3.2.1.3: version, header length, total length, checksum, addresses.
        Ipv4Header ip = Ipv4Header.of(packet);
        if (ip == null) {
            stats.increment(StackCounter.IPV4_MALFORMED);
            return;
        }
        if (!ip.isChecksumValid()) {
            stats.increment(StackCounter.IPV4_CHECKSUM_ERRORS);
            return;
        }
        int headerLength = ip.headerLength();
        packet.truncate(ip.totalLength()); // drop link-layer padding
        IpAddress source = IpAddress.v4(ip.source());
        IpAddress destination = IpAddress.v4(ip.destination());
        if (source.isMulticastOrBroadcast() || nic.isBroadcast(source)) {
            stats.increment(StackCounter.IPV4_INVALID_SOURCE);
            return;
        }
        boolean broadcast = nic.isBroadcast(destination);
        if (!broadcast && !stack.isLocalAddress(destination)) {
            stats.increment(StackCounter.IPV4_INVALID_DESTINATION);
            return;
        }
        PacketInfo info = new PacketInfo(source, destination, nic.id(), ip.ttl(), ip.tos());
        int protocol = ip.protocol();
        if (ip.isFragment()) {
            int offset = ip.fragmentOffset();
            boolean more = ip.moreFragments();
            int id = ip.identification();
            packet.consume(headerLength);
            PacketBuffer whole = reassembler.add(ip.source(), ip.destination(), protocol, id, offset, more, packet);
            if (whole == null) {
                return;
            }
            // A reassembled datagram has no single original header to quote in an ICMP error.
            deliver(info, protocol, whole, -1, broadcast);
            return;
        }
        packet.consume(headerLength);
        deliver(info, protocol, packet, headerLength, broadcast);
    }

    /**
     * Hands a datagram's payload to ICMP or its transport. {@code headerLength} is the length of the
     * IP header still in front of the payload (so it can be quoted in an ICMP error), or -1.
     */
    private void deliver(PacketInfo info, int protocol, PacketBuffer payload, int headerLength, boolean broadcast) {
        if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            stack.icmp().handlePacket(info, payload, broadcast);
            return;
        }
        TransportProtocol transport = stack.transport(protocol);
        int unreachableCode;
        if (transport == null) {
            stats.increment(StackCounter.IPV4_UNKNOWN_PROTOCOL);
            unreachableCode = Icmpv4Header.CODE_PROTOCOL_UNREACHABLE;
        } else if (transport.handlePacket(info, payload)) {
            return;
        } else {
            unreachableCode = Icmpv4Header.CODE_PORT_UNREACHABLE;
        }
        // RFC 1122 §3.2.2: no ICMP error about a datagram sent to a broadcast address.
        if (headerLength > 0 && !broadcast) {
            payload.prepend(headerLength); // the header bytes are still in front of the payload
            stack.icmp().sendError(Icmpv4Header.TYPE_DESTINATION_UNREACHABLE, unreachableCode, info, payload);
        }
    }

    /**
     * Sends a transport packet: prepends the IPv4 header, fragments if larger than the NIC's MTU
     * (unless {@code dontFragment}, then it is dropped and counted), and hands it to the NIC.
     */
    public void send(Nic nic, int source, int destination, IpAddress nextHop, int protocol, PacketBuffer packet,
                     int ttl, boolean dontFragment) {
        int totalLength = packet.length() + Ipv4Header.MIN_LENGTH;
        int mtu = nic.link().mtu();
        if (totalLength > Ipv4Header.MAX_TOTAL_LENGTH || (totalLength > mtu && dontFragment)) {
            stats.increment(StackCounter.IPV4_OUTGOING_DROPPED);
            return;
        }
        int off = packet.prepend(Ipv4Header.MIN_LENGTH);
        new Ipv4Header(packet.array(), off).encode(Ipv4Fields.of(source, destination, protocol, ttl,
                nextId.getAndIncrement() & 0xffff, totalLength, dontFragment));
        stats.increment(StackCounter.IPV4_SENT);
        if (totalLength <= mtu) {
            nic.writePacket(nextHop, EthernetHeader.TYPE_IPV4, packet);
            return;
        }
        for (PacketBuffer fragment : Ipv4Fragmenter.fragment(packet, mtu, nic.linkHeaderLength())) {
            stats.increment(StackCounter.IPV4_FRAGMENTS_SENT);
            nic.writePacket(nextHop, EthernetHeader.TYPE_IPV4, fragment);
        }
    }
}
