package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.NetworkDispatcher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network interface: one link plus the addresses assigned to it. Inbound, it strips the link
 * header and hands the packet to the stack's network protocol for its EtherType; outbound, it resolves
 * the next hop's link address (Ethernet links) and adds the link header.
 */
public final class Nic implements NetworkDispatcher {
    private static final System.Logger LOG = System.getLogger(Nic.class.getName());

    private final Stack stack;
    private final int id;
    private final String name;
    private final LinkEndpoint link;
    private final LinkAddressCache neighbors;
    /**
     * The assigned addresses, replaced whole on each change (rare) under {@link #addressChange}:
     * every packet in and out reads them, and walking an array needs neither an iterator nor a lock.
     */
    private volatile IpSubnet[] addresses = new IpSubnet[0];
    private final Object addressChange = new Object();
    /** Per receiving thread: the view each arriving frame's Ethernet header is read through. */
    private final ThreadLocal<EthernetHeader> headerViews = ThreadLocal.withInitial(EthernetHeader::new);
    /** Multicast groups sockets joined on this NIC, with how many memberships hold each. */
    private final ConcurrentHashMap<IpAddress, Integer> groups = new ConcurrentHashMap<>();
    /** Send IPv4 and IPv6 packets once their next hop's link address is known: made once, not per packet. */
    private final LinkAddressCache.Transmitter ipv4Transmitter = (mac, p) -> transmit(mac, EthernetHeader.TYPE_IPV4, p);
    private final LinkAddressCache.Transmitter ipv6Transmitter = (mac, p) -> transmit(mac, EthernetHeader.TYPE_IPV6, p);
    private volatile boolean enabled;

    Nic(Stack stack, int id, String name, LinkEndpoint link, LinkAddressCache.Config neighborConfig) {
        this.stack = stack;
        this.id = id;
        this.name = name;
        this.link = link;
        this.neighbors = link.linkType() == LinkType.ETHERNET
                ? new LinkAddressCache(stack.clock(), this::sendResolutionRequest, neighborConfig)
                : null;
    }

    /** The neighbour cache asks for {@code target}'s link address through the resolver of its family. */
    private void sendResolutionRequest(IpAddress target, LinkAddress probedAddress) {
        LinkAddressResolver resolver = stack.networkProtocols().resolverFor(target);
        if (resolver != null) {
            resolver.sendRequest(this, target, probedAddress);
        }
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public LinkEndpoint link() {
        return link;
    }

    /** The neighbour (ARP) cache, or null for links that need no address resolution. */
    public LinkAddressCache neighbors() {
        return neighbors;
    }

    public boolean isLoopback() {
        return link.linkType() == LinkType.RAW_IP;
    }

    /** Starts receiving: attaches this NIC to its link. */
    public void enable() {
        enabled = true;
        link.attach(this);
    }

    /** Stops receiving and sending; addresses stay assigned. */
    public void disable() {
        enabled = false;
        link.attach(null);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Assigns {@code subnet.address()} to this NIC and adds the on-link route for its network, as
     * Linux does for a new interface address.
     */
    public void addAddress(IpSubnet subnet) {
        synchronized (addressChange) {
            if (List.of(addresses).contains(subnet)) {
                return;
            }
            IpSubnet[] changed = Arrays.copyOf(addresses, addresses.length + 1);
            changed[addresses.length] = subnet;
            addresses = changed;
        }
        stack.routes().add(RouteEntry.onLink(subnet, id));
        stack.networkProtocols().addressAdded(this, subnet);
    }

    /** Removes an address and its on-link route. */
    public void removeAddress(IpAddress address) {
        List<IpSubnet> removed = new ArrayList<>();
        synchronized (addressChange) {
            List<IpSubnet> kept = new ArrayList<>();
            for (IpSubnet s : addresses) {
                (s.address().equals(address) ? removed : kept).add(s);
            }
            addresses = kept.toArray(new IpSubnet[0]);
        }
        for (IpSubnet s : removed) {
            stack.routes().remove(RouteEntry.onLink(s, id));
        }
    }

    public List<IpSubnet> addresses() {
        return List.of(addresses);
    }

    public boolean hasAddress(IpAddress address) {
        for (IpSubnet s : addresses) {
            if (s.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** A socket joined multicast {@code group} on this NIC: datagrams to it are received here (RFC 1112 §7.2). */
    public void joinGroup(IpAddress group) {
        if (groups.merge(group, 1, Integer::sum) == 1) {
            announceMembership(group, true);
        }
    }

    /** A membership taken by {@link #joinGroup} ended; the group is left with the last one. */
    public void leaveGroup(IpAddress group) {
        boolean[] last = {false};
        groups.computeIfPresent(group, (g, n) -> {
            last[0] = n == 1;
            return n == 1 ? null : n - 1;
        });
        if (last[0]) {
            announceMembership(group, false);
        }
    }

    private void announceMembership(IpAddress group, boolean joined) {
        NetworkProtocol protocol = stack.networkProtocols()
                .forEtherType(group.isV4() ? EthernetHeader.TYPE_IPV4 : EthernetHeader.TYPE_IPV6);
        if (protocol != null) {
            protocol.groupMembershipChanged(this, group, joined);
        }
    }

    /**
     * The multicast address filter of an Ethernet NIC, for IPv4's part of it: a frame to a group
     * address (low 23 bits {@code bits}, -1 for no such address) is taken only for all-hosts
     * (224.0.0.1, RFC 1112 §7.2) or a group joined here. Several groups share an address; IPv4
     * sorts them out.
     */
    private boolean takesIpv4MulticastBits(int bits) {
        if (bits < 0 || bits == 1) {
            return true;
        }
        for (IpAddress g : groups.keySet()) {
            if (g.isV4() && (g.toInt() & 0x7fffff) == bits) {
                return true;
            }
        }
        return false;
    }

    /** The multicast groups sockets joined on this NIC. */
    public java.util.Set<IpAddress> groups() {
        return java.util.Set.copyOf(groups.keySet());
    }

    /** Whether some socket joined {@code group} on this NIC. */
    public boolean isMemberOf(IpAddress group) {
        return groups.containsKey(group);
    }

    /** True if one of this NIC's subnets contains {@code address}. */
    boolean hasSubnetContaining(IpAddress address) {
        for (IpSubnet s : addresses) {
            if (s.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if {@code address} is a broadcast address of this NIC: the limited broadcast or the
     * directed broadcast of one of its IPv4 subnets (RFC 1122 §3.2.1.3). A /31 or /32 has none: every
     * address of it is a host (RFC 3021). Asked for every packet in and out, so it does not allocate.
     */
    public boolean isBroadcast(IpAddress address) {
        if (!address.isV4()) {
            return false;
        }
        if (address.equals(IpAddress.IPV4_BROADCAST)) {
            return true;
        }
        int a = address.toInt();
        for (IpSubnet s : addresses) {
            if (s.address().isV4() && s.prefixLength() < 31 && s.broadcastInt() == a) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address to send from when talking to {@code destination}: the first address of the same
     * family whose subnet contains it, else the first of that family and scope (the primary), else
     * the first of the family, else null.
     */
    public IpAddress sourceAddressFor(IpAddress destination) {
        IpAddress primary = null;
        IpAddress otherScope = null;
        for (IpSubnet s : addresses) {
            if (s.address().length() != destination.length()) {
                continue;
            }
            if (s.contains(destination)) {
                return s.address();
            }
            // RFC 6724 §5 rule 2: an IPv6 link-local source only for a link-local destination, if any other will do.
            if (s.address().isLinkLocal() != destination.isLinkLocal()) {
                otherScope = otherScope == null ? s.address() : otherScope;
            } else if (primary == null) {
                primary = s.address();
            }
        }
        return primary != null ? primary : otherScope;
    }

    /** The first address of the given family (4 or 16 bytes long), or null. */
    public IpAddress primaryAddress(int addressLength) {
        for (IpSubnet s : addresses) {
            if (s.address().length() == addressLength) {
                return s.address();
            }
        }
        return null;
    }

    /** Link header room a packet needs in front of the network header. */
    public int linkHeaderLength() {
        return link.linkType().headerLength();
    }

    @Override
    public void deliverNetworkPacket(PacketBuffer frame) {
        try {
            deliver(frame);
        } catch (RuntimeException e) {
            // A link's reader must never die from one bad frame: count it and keep serving.
            stack.stats().increment(StackCounter.FRAMES_MALFORMED);
            LOG.log(Level.DEBUG, () -> "dropped a frame on " + name + " that broke a parser", e);
        } catch (Throwable e) {
            linkThreadFailed(e); // an OutOfMemoryError, say: the frame is lost, the link's thread goes on
        }
    }

    @Override
    public void linkThreadFailed(Throwable cause) {
        stack.taskFailed(cause);
    }

    @Override
    public void batchEnded() {
        if (enabled) {
            stack.linkBatchEnded();
        }
    }

    /** Nothing will arrive on this NIC again: its connections fail loudly instead of waiting forever. */
    @Override
    public void linkFailed(IOException cause) {
        enabled = false;
        stack.nicFailed(id, cause);
    }

    private void deliver(PacketBuffer frame) {
        Counters<StackCounter> stats = stack.stats();
        stats.increment(StackCounter.FRAMES_RECEIVED);
        if (!enabled) {
            stats.increment(StackCounter.FRAMES_NIC_DISABLED);
            return;
        }
        int etherType;
        boolean unicast = false;
        if (link.linkType() == LinkType.ETHERNET) {
            EthernetHeader eth = headerViews.get(); // read only until the frame goes up to its protocol
            if (!eth.wrap(frame)) {
                stats.increment(StackCounter.FRAMES_MALFORMED);
                return;
            }
            if (!eth.isGroupDestination() && !eth.isDestination(link.linkAddress())
                    || !takesIpv4MulticastBits(eth.ipv4MulticastBits())) {
                stats.increment(StackCounter.FRAMES_NOT_FOR_US);
                return;
            }
            etherType = eth.etherType();
            unicast = !eth.isGroupDestination();
            frame.consume(EthernetHeader.LENGTH);
        } else {
            if (frame.length() < 1) {
                stats.increment(StackCounter.FRAMES_MALFORMED);
                return;
            }
            int version = frame.getByte(0) >>> 4;
            etherType = version == Ipv4Header.VERSION ? EthernetHeader.TYPE_IPV4 : version == 6 ? EthernetHeader.TYPE_IPV6 : -1;
        }
        NetworkProtocol protocol = stack.networkProtocols().forEtherType(etherType);
        if (protocol == null) {
            stats.increment(StackCounter.FRAMES_UNKNOWN_ETHERTYPE);
            return;
        }
        protocol.handlePacket(this, frame, unicast);
    }

    /**
     * Sends a network packet to the neighbour {@code nextHop}: on an Ethernet link, resolves its
     * link address first (holding the packet meanwhile) and adds the Ethernet header.
     */
    public void writePacket(IpAddress nextHop, int etherType, PacketBuffer packet) {
        if (!enabled) {
            stack.stats().increment(StackCounter.IPV4_OUTGOING_DROPPED);
            return;
        }
        if (neighbors == null) {
            transmit(link.linkAddress(), etherType, packet);
        } else if (isBroadcast(nextHop)) {
            transmit(LinkAddress.BROADCAST, etherType, packet);
        } else if (nextHop.isV6() && nextHop.isMulticastOrBroadcast()) {
            transmit(LinkAddress.ofIpv6Multicast(nextHop), etherType, packet);
        } else if (nextHop.isV4() && nextHop.isMulticast()) {
            transmit(LinkAddress.ofIpv4Multicast(nextHop), etherType, packet); // no resolution: RFC 1112 §6.4
        } else {
            neighbors.send(nextHop, packet, transmitterFor(etherType));
        }
    }

    private LinkAddressCache.Transmitter transmitterFor(int etherType) {
        return switch (etherType) {
            case EthernetHeader.TYPE_IPV4 -> ipv4Transmitter;
            case EthernetHeader.TYPE_IPV6 -> ipv6Transmitter;
            default -> (mac, p) -> transmit(mac, etherType, p);
        };
    }

    /** Sends a packet to a known link address (ARP replies and requests use this directly). */
    public void transmit(LinkAddress destination, int etherType, PacketBuffer packet) {
        if (link.linkType() == LinkType.ETHERNET) {
            int off = packet.prepend(EthernetHeader.LENGTH);
            new EthernetHeader(packet.array(), off).encode(link.linkAddress(), destination, etherType);
        }
        stack.stats().increment(StackCounter.FRAMES_SENT);
        link.writeFrame(packet);
    }

    @Override
    public String toString() {
        return "NIC[" + id + " " + name + " " + link.linkType() + " " + List.of(addresses) + "]";
    }
}
