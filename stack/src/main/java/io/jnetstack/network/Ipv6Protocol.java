package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6ExtensionHeaders;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.InternetProtocol;
import io.jnetstack.stack.LinkAddressResolver;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportProtocol;
import java.util.concurrent.ThreadLocalRandom;

/**
 * IPv6 (RFC 8200) for a host, with its ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): validates
 * what arrives, walks its extension headers, reassembles fragments and hands the payload to ICMPv6 or
 * the transport; adds the header to what leaves and fragments it to the MTU (only a source fragments
 * in IPv6). It finds neighbours' link addresses for the NICs' caches by neighbor solicitation. The
 * stack does not forward: packets for other hosts are counted and dropped.
 */
public final class Ipv6Protocol implements InternetProtocol, LinkAddressResolver {
    /** RFC 8200 §4.5: a reassembled packet's payload length is at most 65535, so its fragmentable part no more. */
    static final int MAX_REASSEMBLED_PAYLOAD = Ipv6Header.MAX_PAYLOAD_LENGTH;
    private static final FragmentReassembler.CounterSet REASSEMBLY_COUNTERS = new FragmentReassembler.CounterSet(
            StackCounter.IPV6_FRAGMENTS_RECEIVED, StackCounter.IPV6_REASSEMBLED, StackCounter.IPV6_REASSEMBLY_TIMEOUTS,
            StackCounter.IPV6_REASSEMBLY_OVERLAPS, StackCounter.IPV6_REASSEMBLY_INVALID,
            StackCounter.IPV6_REASSEMBLY_EVICTIONS);

    /** Where a parameter problem about a fragment's length or offset points (RFC 8200 §4.5). */
    private static final int PAYLOAD_LENGTH_FIELD = 4;
    private static final int FRAGMENT_OFFSET_FIELD = 2;

    private final long reassemblyTimeoutNanos;
    private final int reassemblyMemoryLimit;
    private NetworkHost host;
    private Counters<StackCounter> stats;
    private FragmentReassembler reassembler;
    private Icmpv6Protocol icmp;
    private NeighborDiscovery neighborDiscovery;
    /** Per receiving thread: the view each arriving packet's fixed header is read through. */
    private final ThreadLocal<Ipv6Header> headerViews = ThreadLocal.withInitial(Ipv6Header::new);
    /** Per receiving thread: the walk over each arriving packet's extension headers. */
    private final ThreadLocal<Ipv6ExtensionHeaders.Walk> walks = ThreadLocal.withInitial(Ipv6ExtensionHeaders.Walk::new);

    /** Reassembly with the defaults of {@link FragmentReassembler}. */
    public Ipv6Protocol() {
        this(FragmentReassembler.DEFAULT_TIMEOUT_NANOS, FragmentReassembler.defaultMemoryLimit());
    }

    /** How long an incomplete datagram's fragments are kept, and the heap they may take at true cost. */
    public Ipv6Protocol(long reassemblyTimeoutNanos, int reassemblyMemoryLimit) {
        this.reassemblyTimeoutNanos = reassemblyTimeoutNanos;
        this.reassemblyMemoryLimit = reassemblyMemoryLimit;
    }

    @Override
    public int etherType() {
        return EthernetHeader.TYPE_IPV6;
    }

    @Override
    public int addressLength() {
        return IpAddress.IPV6_ANY.length();
    }

    @Override
    public void attach(NetworkHost host) {
        if (this.host != null) {
            throw new IllegalStateException("IPv6 is already attached to a stack");
        }
        this.host = host;
        this.stats = host.stats();
        this.reassembler = new FragmentReassembler(host.clock(), reassemblyTimeoutNanos, reassemblyMemoryLimit,
                MAX_REASSEMBLED_PAYLOAD, REASSEMBLY_COUNTERS, stats);
        this.neighborDiscovery = new NeighborDiscovery(host, this);
        this.icmp = new Icmpv6Protocol(host, neighborDiscovery);
    }

    public FragmentReassembler reassembler() {
        return reassembler;
    }

    /** ICMPv6 of this IPv6: echo requests (pings) and their listeners. */
    public Icmpv6Protocol icmp() {
        return icmp;
    }

    public NeighborDiscovery neighborDiscovery() {
        return neighborDiscovery;
    }

    @Override
    public void nicCreated(Nic nic) {
        neighborDiscovery.configureLinkLocal(nic);
    }

    @Override
    public void addressAdded(Nic nic, IpSubnet subnet) {
        if (subnet.address().isV6()) {
            neighborDiscovery.startDuplicateAddressDetection(nic, subnet.address());
        }
    }

    @Override
    public void sendRequest(Nic nic, IpAddress target, LinkAddress probedAddress) {
        neighborDiscovery.sendSolicitation(nic, target, probedAddress);
    }

    /** An IPv6 packet received on {@code nic}; {@code packet} starts at the IPv6 header. */
    @Override
    public void handlePacket(Nic nic, PacketBuffer packet, boolean linkUnicast) {
        stats.increment(StackCounter.IPV6_RECEIVED);
        Ipv6Header ip = headerViews.get(); // read only until the walk below, before anything is delivered
        if (!ip.wrap(packet)) {
            stats.increment(StackCounter.IPV6_MALFORMED);
            return;
        }
        packet.truncate(Ipv6Header.LENGTH + ip.payloadLength()); // drop link-layer padding
        IpAddress source = ip.source();
        IpAddress destination = ip.destination();
        // RFC 4291 §2.7: never a multicast source; §2.5.3: ::1 never arrives from a wire.
        if (source.isMulticastOrBroadcast() || (source.isLoopback() && !nic.isLoopback())) {
            stats.increment(StackCounter.IPV6_INVALID_SOURCE);
            return;
        }
        boolean multicast = destination.isMulticastOrBroadcast();
        if (multicast && !neighborDiscovery.isListening(nic, destination)) {
            stats.increment(StackCounter.IPV6_OTHER_MULTICAST);
            return;
        }
        if (!multicast && !host.isLocalAddress(destination)) {
            stats.increment(StackCounter.IPV6_INVALID_DESTINATION);
            return;
        }
        PacketInfo info = PacketInfo.of(source, destination, nic.id(), ip.hopLimit(), ip.trafficClass());
        // The thread's walk: read only before anything is delivered, and never by a walk nested in this one.
        Ipv6ExtensionHeaders.Walk walk = Ipv6ExtensionHeaders.walk(packet, walks.get());
        switch (walk.outcome) {
            case UPPER_LAYER -> {
                if (walk.fragmentHeaderOffset > 0) {
                    stats.increment(StackCounter.IPV6_ATOMIC_FRAGMENTS);
                }
                deliver(nic, info, walk.protocol, packet, walk.offset, walk.nextHeaderFieldOffset, multicast);
            }
            case FRAGMENT -> reassemble(nic, info, walk, packet, multicast);
            case NO_NEXT_HEADER -> { } // RFC 8200 §4.7: nothing to deliver
            case DISCARD -> stats.increment(StackCounter.IPV6_BAD_EXTENSION_HEADERS);
            case PARAMETER_PROBLEM -> {
                stats.increment(StackCounter.IPV6_BAD_EXTENSION_HEADERS);
                // RFC 4443 §2.4(e.3): to a multicast destination only for an option whose type says so.
                boolean allowedToMulticast = walk.problemCode == Ipv6ExtensionHeaders.CODE_UNRECOGNIZED_OPTION
                        && !walk.problemOnlyForUnicast;
                if (!multicast || allowedToMulticast) {
                    icmp.sendError(Icmpv6Header.TYPE_PARAMETER_PROBLEM, walk.problemCode, walk.problemPointer, info,
                            packet);
                }
            }
        }
    }

    private void reassemble(Nic nic, PacketInfo info, Ipv6ExtensionHeaders.Walk walk, PacketBuffer packet,
                            boolean multicast) {
        int fragmentLength = packet.length() - walk.offset;
        // RFC 8200 §4.5: the unfragmentable extension headers count against the reassembled payload length too.
        int unfragmentableExtensions = walk.fragmentHeaderOffset - Ipv6Header.LENGTH;
        int problemPointer = -1;
        if (walk.moreFragments && fragmentLength % 8 != 0) {
            problemPointer = PAYLOAD_LENGTH_FIELD; // §4.5: every fragment but the last is a multiple of 8 bytes
        } else if (walk.fragmentOffsetBytes + fragmentLength > MAX_REASSEMBLED_PAYLOAD - unfragmentableExtensions) {
            problemPointer = walk.fragmentHeaderOffset + FRAGMENT_OFFSET_FIELD;
        }
        if (problemPointer >= 0) {
            stats.increment(StackCounter.IPV6_REASSEMBLY_INVALID);
            if (!multicast) {
                icmp.sendError(Icmpv6Header.TYPE_PARAMETER_PROBLEM, Ipv6ExtensionHeaders.CODE_ERRONEOUS_FIELD,
                        problemPointer, info, packet);
            }
            return;
        }
        // RFC 7112 §5: the first fragment holds the whole header chain; one that runs past it is dropped,
        // so that no filter can be fooled by a transport header hidden in a later fragment.
        if (walk.fragmentOffsetBytes == 0 && Ipv6ExtensionHeaders.walk(packet, walk.offset, walk.nextHeaderFieldOffset,
                walk.protocol, true).outcome == Ipv6ExtensionHeaders.Outcome.DISCARD) {
            stats.increment(StackCounter.IPV6_BAD_EXTENSION_HEADERS);
            return;
        }
        packet.consume(walk.offset);
        // The next header joins the key: fragments that disagree on it are not one datagram (RFC
        // 8200 §4.5 takes the first fragment's; we never join them, so they time out instead).
        ReassemblyKey key = new ReassemblyKey(info.source(), info.destination(), walk.identification, walk.protocol);
        PacketBuffer whole = reassembler.add(key, walk.fragmentOffsetBytes, walk.moreFragments, packet);
        if (whole == null) {
            return;
        }
        Ipv6ExtensionHeaders.Walk rest = Ipv6ExtensionHeaders.walk(whole, 0, -1, walk.protocol, true);
        if (rest.outcome == Ipv6ExtensionHeaders.Outcome.UPPER_LAYER) {
            // A reassembled datagram has no single original packet to quote in an ICMP error.
            deliver(nic, info, rest.protocol, whole, rest.offset, -1, true);
        } else if (rest.outcome != Ipv6ExtensionHeaders.Outcome.NO_NEXT_HEADER) {
            stats.increment(StackCounter.IPV6_BAD_EXTENSION_HEADERS);
        }
    }

    /**
     * Hands the upper-layer packet at {@code offset} to ICMPv6 or its transport. Errors quote the
     * packet from its start unless {@code noErrors} (a multicast destination, RFC 4443 §2.4(e.3), or
     * a reassembled datagram).
     */
    private void deliver(Nic nic, PacketInfo info, int protocol, PacketBuffer packet, int offset, int nextHeaderField,
                         boolean noErrors) {
        if (protocol == Ipv6Header.NEXT_ICMPV6) {
            packet.consume(offset);
            icmp.handlePacket(nic, info, packet);
            return;
        }
        TransportProtocol transport = host.transport(protocol);
        if (transport == null) {
            stats.increment(StackCounter.IPV6_UNKNOWN_PROTOCOL);
            if (!noErrors) {
                // RFC 8200 §4: an unrecognized next header is a parameter problem pointing at it.
                icmp.sendError(Icmpv6Header.TYPE_PARAMETER_PROBLEM, Ipv6ExtensionHeaders.CODE_UNRECOGNIZED_NEXT_HEADER,
                        nextHeaderField, info, packet);
            }
            return;
        }
        packet.consume(offset);
        if (!transport.handlePacket(info, packet) && !noErrors) {
            packet.prepend(offset); // the headers are still in front of the payload
            icmp.sendError(Icmpv6Header.TYPE_DESTINATION_UNREACHABLE, Icmpv6Header.CODE_PORT_UNREACHABLE, 0, info, packet);
        }
    }

    @Override
    public int headerLength() {
        return Ipv6Header.LENGTH;
    }

    /** The MTU's room, but no more than a payload length can describe (loopback's MTU is 65536). */
    @Override
    public int maxTransportPacket(int mtu) {
        return Math.min(mtu - Ipv6Header.LENGTH, Ipv6Header.MAX_PAYLOAD_LENGTH);
    }

    @Override
    public int pseudoHeaderChecksum(IpAddress local, IpAddress remote, int protocol, int length) {
        return Checksum.pseudoHeader(local, remote, protocol, length);
    }

    /**
     * Sends a transport packet: prepends the IPv6 header and hands it to the NIC, fragmenting it
     * when larger than the MTU (RFC 8200 §4.5), unless {@code dontFragment}: then it is dropped
     * and counted, as are packets too large for any IPv6 packet.
     */
    @Override
    public void send(Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop, int protocol, PacketBuffer packet,
                     int hopLimit, boolean dontFragment) {
        int payloadLength = packet.length();
        // A segment the link will cut up itself (segmentation offload) may be as large as the link takes.
        int mtu = packet.segmentSize() > 0 ? nic.link().gsoMaxSize() : nic.link().mtu();
        boolean fits = Ipv6Header.LENGTH + payloadLength <= mtu;
        if (payloadLength > Ipv6Header.MAX_PAYLOAD_LENGTH || (!fits && dontFragment)) {
            stats.increment(StackCounter.IPV6_OUTGOING_DROPPED);
            return;
        }
        stats.increment(StackCounter.IPV6_SENT);
        if (fits) {
            int off = packet.prepend(Ipv6Header.LENGTH);
            Ipv6Header.encode(packet.array(), off, local, remote, protocol, hopLimit, payloadLength);
            nic.writePacket(nextHop, EthernetHeader.TYPE_IPV6, packet);
            return;
        }
        // RFC 7739 §5: an identification nobody can predict, so fragments cannot be forged into our datagrams.
        int identification = ThreadLocalRandom.current().nextInt();
        int maxFragmentData = (Math.max(mtu, Ipv6Header.MIN_MTU) - Ipv6Header.LENGTH
                - Ipv6ExtensionHeaders.FRAGMENT_HEADER_LENGTH) & ~7;
        int headerLength = Ipv6Header.LENGTH + Ipv6ExtensionHeaders.FRAGMENT_HEADER_LENGTH;
        for (int start = 0; start < payloadLength; start += maxFragmentData) {
            int n = Math.min(maxFragmentData, payloadLength - start);
            boolean last = start + n == payloadLength;
            PacketBuffer fragment = PacketBuffer.allocate(nic.linkHeaderLength(), headerLength);
            byte[] a = fragment.array();
            int o = fragment.offset();
            Ipv6Header.encode(a, o, local, remote, Ipv6Header.NEXT_FRAGMENT, hopLimit,
                    Ipv6ExtensionHeaders.FRAGMENT_HEADER_LENGTH + n);
            writeFragmentHeader(a, o + Ipv6Header.LENGTH, protocol, start, !last, identification);
            packet.forEachRange(start, n, fragment::appendSlice);
            stats.increment(StackCounter.IPV6_FRAGMENTS_SENT);
            nic.writePacket(nextHop, EthernetHeader.TYPE_IPV6, fragment);
        }
    }

    /** RFC 8200 §4.5: next header, reserved, 13-bit offset in 8-byte units with M as the low bit, identification. */
    private static void writeFragmentHeader(byte[] a, int o, int nextHeader, int offsetBytes, boolean more, int id) {
        a[o] = (byte) nextHeader;
        a[o + 1] = 0;
        int offsetAndFlags = offsetBytes | (more ? 1 : 0);
        a[o + 2] = (byte) (offsetAndFlags >>> 8);
        a[o + 3] = (byte) offsetAndFlags;
        a[o + 4] = (byte) (id >>> 24);
        a[o + 5] = (byte) (id >>> 16);
        a[o + 6] = (byte) (id >>> 8);
        a[o + 7] = (byte) id;
    }

    /**
     * Sends an ICMPv6 message ({@code message} starts at its header, checksum still zero) from
     * {@code source} to {@code destination} on {@code nic} with hop limit 255, as Neighbor Discovery
     * must (RFC 4861 §7.1): to {@code linkDestination} if known, else through the NIC's resolution.
     */
    void sendOnLink(Nic nic, IpAddress source, IpAddress destination, LinkAddress linkDestination, PacketBuffer message) {
        int length = message.length();
        int sum = Checksum.add(Checksum.pseudoHeader(source, destination, Ipv6Header.NEXT_ICMPV6, length), message, 0,
                length);
        new Icmpv6Header(message.array(), message.offset()).setChecksum(Checksum.finish(sum));
        int off = message.prepend(Ipv6Header.LENGTH);
        Ipv6Header.encode(message.array(), off, source, destination, Ipv6Header.NEXT_ICMPV6,
                NeighborDiscovery.HOP_LIMIT, length);
        stats.increment(StackCounter.IPV6_SENT);
        if (linkDestination != null) {
            nic.transmit(linkDestination, EthernetHeader.TYPE_IPV6, message);
        } else {
            nic.writePacket(destination, EthernetHeader.TYPE_IPV6, message);
        }
    }

    private record ReassemblyKey(IpAddress source, IpAddress destination, int identification, int nextHeader) {
    }
}
