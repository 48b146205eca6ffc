package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.Checksum;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.InternetProtocol;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportProtocol;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPv4 (RFC 791) for a host (RFC 1122 §3.2), with its ICMPv4: validates and reassembles what
 * arrives and hands it to ICMP or the transport protocol; adds headers to what leaves and
 * fragments it to the MTU. The stack does not forward: packets for other hosts are counted and
 * dropped.
 */
public final class Ipv4Protocol implements InternetProtocol {
    private final long reassemblyTimeoutNanos;
    private final int reassemblyMemoryLimit;
    // RFC 6864 §4.1: IDs only need to be unique per (src, dst, protocol) within a datagram's
    // lifetime; one counter from a random start serves every flow.
    private final AtomicInteger nextId = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private NetworkHost host;
    private Counters<StackCounter> stats;
    private Ipv4Reassembler reassembler;
    private Icmpv4Protocol icmp;
    private IgmpProtocol igmp;
    /** Per receiving thread: the view each arriving datagram's header is read through. */
    private final ThreadLocal<Ipv4Header> headerViews = ThreadLocal.withInitial(Ipv4Header::new);

    /** Reassembly with the defaults of {@link Ipv4Reassembler}. */
    public Ipv4Protocol() {
        this(Ipv4Reassembler.DEFAULT_TIMEOUT_NANOS, Ipv4Reassembler.defaultMemoryLimit());
    }

    /**
     * How long an incomplete datagram's fragments are kept and the heap they may take, at true
     * cost, before the oldest are evicted (see {@link Ipv4Reassembler}).
     */
    public Ipv4Protocol(long reassemblyTimeoutNanos, int reassemblyMemoryLimit) {
        this.reassemblyTimeoutNanos = reassemblyTimeoutNanos;
        this.reassemblyMemoryLimit = reassemblyMemoryLimit;
    }

    @Override
    public int etherType() {
        return EthernetHeader.TYPE_IPV4;
    }

    @Override
    public int addressLength() {
        return IpAddress.IPV4_ANY.length();
    }

    @Override
    public void attach(NetworkHost host) {
        if (this.host != null) {
            throw new IllegalStateException("IPv4 is already attached to a stack");
        }
        this.host = host;
        this.stats = host.stats();
        this.reassembler = new Ipv4Reassembler(host.clock(), reassemblyTimeoutNanos, reassemblyMemoryLimit, stats);
        this.icmp = new Icmpv4Protocol(host);
        this.igmp = new IgmpProtocol(host, this);
    }

    /** Reports the change to multicast routers over IGMP (RFC 3376). */
    @Override
    public void groupMembershipChanged(Nic nic, IpAddress group, boolean joined) {
        igmp.membershipChanged(nic, group, joined);
    }

    /**
     * Sends an IGMP message on {@code nic} as RFC 3376 §4 wants it: TTL 1, the Router Alert
     * option, from the NIC's address (0.0.0.0 while it has none).
     */
    void sendIgmp(Nic nic, IpAddress destination, byte[] message) {
        IpAddress source = nic.sourceAddressFor(destination);
        int source4 = source == null ? 0 : source.toInt();
        int totalLength = Ipv4Header.ROUTER_ALERT_LENGTH + message.length;
        PacketBuffer packet = PacketBuffer.allocate(nic.linkHeaderLength() + Ipv4Header.ROUTER_ALERT_LENGTH, message.length);
        System.arraycopy(message, 0, packet.array(), packet.offset(), message.length);
        int off = packet.prepend(Ipv4Header.ROUTER_ALERT_LENGTH);
        new Ipv4Header(packet.array(), off).encodeWithRouterAlert(Ipv4Fields.of(source4, destination.toInt(),
                IgmpProtocol.PROTOCOL, 1, nextId.getAndIncrement() & 0xffff, totalLength, false));
        stats.increment(StackCounter.IPV4_SENT);
        nic.writePacket(destination, EthernetHeader.TYPE_IPV4, packet);
    }

    public Ipv4Reassembler reassembler() {
        return reassembler;
    }

    /** ICMPv4 of this IPv4: echo requests (pings) and their listeners. */
    public Icmpv4Protocol icmp() {
        return icmp;
    }

    /** An IPv4 packet received on {@code nic}; {@code packet} starts at the IPv4 header. */
    @Override
    public void handlePacket(Nic nic, PacketBuffer packet, boolean linkUnicast) {
        stats.increment(StackCounter.IPV4_RECEIVED);
        // RFC 1122 §3.2.1.1-3.2.1.3: version, header length, total length, checksum, addresses.
        Ipv4Header ip = headerViews.get(); // read only until the datagram is delivered, which may re-enter on this thread
        if (!ip.wrap(packet)) {
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
        // Multicast counts as broadcast below: RFC 1122 §3.2.2 forbids ICMP errors about either.
        boolean broadcast = nic.isBroadcast(destination) || destination.isMulticast();
        boolean joined = nic.isMemberOf(destination) || destination.equals(IgmpProtocol.ALL_HOSTS); // RFC 1112 §7.2
        if (destination.isMulticast() ? !joined : !broadcast && !host.isLocalAddress(destination)) {
            stats.increment(StackCounter.IPV4_INVALID_DESTINATION);
            return;
        }
        PacketInfo info = PacketInfo.of(source, destination, nic.id(), ip.ttl(), ip.tos());
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
            deliver(nic, info, protocol, whole, -1, broadcast);
            return;
        }
        packet.consume(headerLength);
        deliver(nic, info, protocol, packet, headerLength, broadcast);
    }

    /**
     * Hands a datagram's payload to ICMP or its transport. {@code headerLength} is the length of the
     * IP header still in front of the payload (so it can be quoted in an ICMP error), or -1.
     */
    private void deliver(Nic nic, PacketInfo info, int protocol, PacketBuffer payload, int headerLength, boolean broadcast) {
        if (protocol == Ipv4Header.PROTOCOL_ICMP) {
            icmp.handlePacket(info, payload, broadcast);
            return;
        }
        if (protocol == IgmpProtocol.PROTOCOL) {
            igmp.handlePacket(nic, payload);
            return;
        }
        TransportProtocol transport = host.transport(protocol);
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
            icmp.sendError(Icmpv4Header.TYPE_DESTINATION_UNREACHABLE, unreachableCode, info, payload);
        }
    }

    @Override
    public int headerLength() {
        return Ipv4Header.MIN_LENGTH;
    }

    /** The MTU's room, but no more than an IPv4 total length can describe (loopback's MTU is 65536). */
    @Override
    public int maxTransportPacket(int mtu) {
        return Math.min(mtu, Ipv4Header.MAX_TOTAL_LENGTH) - Ipv4Header.MIN_LENGTH;
    }

    @Override
    public int pseudoHeaderChecksum(IpAddress local, IpAddress remote, int protocol, int length) {
        return Checksum.ipv4PseudoHeader(local.toInt(), remote.toInt(), protocol, length);
    }

    /**
     * Sends a transport packet: prepends the IPv4 header, fragments if larger than the NIC's MTU
     * (unless {@code dontFragment}, then it is dropped and counted), and hands it to the NIC. A
     * packet the link is to segment may be as large as the link's GSO maximum instead.
     */
    @Override
    public void send(Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop, int protocol, PacketBuffer packet,
                     int ttl, boolean dontFragment) {
        int totalLength = packet.length() + Ipv4Header.MIN_LENGTH;
        int mtu = packet.segmentSize() > 0 ? nic.link().gsoMaxSize() : nic.link().mtu();
        if (totalLength > Ipv4Header.MAX_TOTAL_LENGTH || (totalLength > mtu && dontFragment)) {
            stats.increment(StackCounter.IPV4_OUTGOING_DROPPED);
            return;
        }
        int off = packet.prepend(Ipv4Header.MIN_LENGTH);
        Ipv4Header.encodeUnfragmented(packet.array(), off, local.toInt(), remote.toInt(), protocol, ttl,
                nextId.getAndIncrement() & 0xffff, totalLength, dontFragment);
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
