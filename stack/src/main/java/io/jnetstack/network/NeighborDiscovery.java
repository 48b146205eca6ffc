package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.RouteEntry;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.time.Timer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Neighbor Discovery (RFC 4861) and duplicate address detection (RFC 4862) on Ethernet links, for
 * {@link Ipv6Protocol}. Neighbour solicitations and advertisements fill a NIC's
 * {@link LinkAddressCache} (the same states as ARP's, which follow RFC 4861 §7.3.2); solicitations
 * go to the target's solicited-node multicast address. A router advertisement with a lifetime
 * gives the NIC a default route through its sender, unless one is configured.
 *
 * <p>Every message is validated as §6.1 and §7.1 ask (hop limit 255, so it cannot come from off the
 * link; code 0; length; options of non-zero length; no multicast target; the rules for an
 * unspecified source); invalid ones are counted and dropped.
 *
 * <p>Addresses are used at once while their uniqueness is checked, as Optimistic DAD (RFC 4429)
 * allows: one solicitation from the unspecified address, and an address that another node turns
 * out to hold (its advertisement, or its own detection's solicitation) is removed from the NIC,
 * counted and logged (RFC 4862 §5.4.5).
 */
public final class NeighborDiscovery {
    private static final System.Logger LOG = System.getLogger(NeighborDiscovery.class.getName());

    /** RFC 4861 §7.1.1: hop limit 255 proves the sender is on the link. */
    static final int HOP_LIMIT = 255;
    /** RFC 4861 §10: RetransTimer, how long detection waits for an answer (DupAddrDetectTransmits 1). */
    public static final Duration DAD_WAIT = Duration.ofSeconds(1);

    private static final IpAddress INTERFACE_LOCAL_ALL_NODES = IpAddress.parse("ff01::1");
    private static final int NS_NA_LENGTH = 24;
    private static final int RA_LENGTH = 16;
    private static final int RS_LENGTH = 8;
    private static final int TARGET = 8;
    private static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    private static final int OPTION_TARGET_LINK_ADDRESS = 2;
    /** Type, length 1 (8 bytes), then a 6-byte MAC (RFC 4861 §4.6.1). */
    private static final int LINK_ADDRESS_OPTION_LENGTH = 8;
    private static final int FLAG_SOLICITED = 0x40000000;
    private static final int FLAG_OVERRIDE = 0x20000000;

    private final NetworkHost host;
    private final Ipv6Protocol ipv6;
    private final Counters<StackCounter> stats;
    /** Default routes routers advertised, with the timer that ends each one's lifetime (RFC 4861 §6.3.4). */
    private final Map<RouteEntry, Timer> advertisedRoutes = new ConcurrentHashMap<>();
    /** Addresses whose detection is still running, by address, with the NIC they are on. */
    private final Map<IpAddress, Nic> tentative = new ConcurrentHashMap<>();

    NeighborDiscovery(NetworkHost host, Ipv6Protocol ipv6) {
        this.host = host;
        this.ipv6 = ipv6;
        this.stats = host.stats();
    }

    /** fe80::/64 with the modified EUI-64 of {@code mac} (RFC 4862 §5.3, RFC 4291 Appendix A). */
    public static IpSubnet linkLocalFor(LinkAddress mac) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfe;
        a[1] = (byte) 0x80;
        System.arraycopy(mac.modifiedEui64(), 0, a, 8, 8);
        return new IpSubnet(IpAddress.of(a), 64);
    }

    /** An Ethernet NIC gets its link-local address, as Linux gives every interface one. */
    void configureLinkLocal(Nic nic) {
        if (nic.neighbors() != null) {
            nic.addAddress(linkLocalFor(nic.link().linkAddress()));
        }
    }

    /** True while {@code address} is still being checked for duplicates. */
    public boolean isTentative(IpAddress address) {
        return tentative.containsKey(address);
    }

    /**
     * True if {@code nic} receives packets sent to the multicast {@code group}: all nodes (link and
     * interface scope), and the solicited-node address of each of its IPv6 addresses (RFC 4291 §2.8).
     */
    boolean isListening(Nic nic, IpAddress group) {
        if (group.equals(IpAddress.IPV6_ALL_NODES) || group.equals(INTERFACE_LOCAL_ALL_NODES)) {
            return true;
        }
        for (IpSubnet s : nic.addresses()) {
            if (s.address().isV6() && s.address().solicitedNodeMulticast().equals(group)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4862 §5.4.2: one solicitation from :: to the address's solicited-node group, then wait. */
    void startDuplicateAddressDetection(Nic nic, IpAddress address) {
        if (nic.neighbors() == null) {
            return; // loopback: no other node to clash with
        }
        tentative.put(address, nic);
        stats.increment(StackCounter.NDP_DAD_PROBES_SENT);
        sendNeighborSolicitation(nic, IpAddress.IPV6_ANY, address, null);
        host.clock().schedule(DAD_WAIT.toNanos(), () -> tentative.remove(address, nic));
    }

    /**
     * Asks for {@code target}'s link address: to its solicited-node group when {@code probedAddress}
     * is null, else unicast to it (a reachability probe, RFC 4861 §7.3.3).
     */
    void sendSolicitation(Nic nic, IpAddress target, LinkAddress probedAddress) {
        IpAddress source = nic.sourceAddressFor(target);
        if (source == null || !source.isV6()) {
            return;
        }
        stats.increment(probedAddress == null ? StackCounter.NDP_SOLICITATIONS_SENT : StackCounter.NDP_PROBES_SENT);
        sendNeighborSolicitation(nic, source, target, probedAddress);
    }

    private void sendNeighborSolicitation(Nic nic, IpAddress source, IpAddress target, LinkAddress probedAddress) {
        // RFC 4861 §4.3: no source link-layer option from the unspecified address.
        boolean withOption = !source.isUnspecified();
        PacketBuffer p = message(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, 0, target,
                withOption ? OPTION_SOURCE_LINK_ADDRESS : 0, nic.link().linkAddress());
        IpAddress destination = probedAddress == null ? target.solicitedNodeMulticast() : target;
        LinkAddress linkDestination = probedAddress == null ? LinkAddress.ofIpv6Multicast(destination) : probedAddress;
        ipv6.sendOnLink(nic, source, destination, linkDestination, p);
    }

    /** An NS or NA, or an RS/RA: its ICMPv6 header, a word, the target, and one link-address option if any. */
    private static PacketBuffer message(int type, int word, IpAddress target, int optionType, LinkAddress option) {
        int length = (target == null ? RS_LENGTH : NS_NA_LENGTH) + (optionType == 0 ? 0 : LINK_ADDRESS_OPTION_LENGTH);
        PacketBuffer p = PacketBuffer.allocate(EthernetHeader.LENGTH + Ipv6Header.LENGTH, length);
        byte[] a = p.array();
        int o = p.offset();
        new Icmpv6Header(a, o).encode(type, 0, word);
        int optionAt = RS_LENGTH;
        if (target != null) {
            target.writeTo(a, o + TARGET);
            optionAt = NS_NA_LENGTH;
        }
        if (optionType != 0) {
            a[o + optionAt] = (byte) optionType;
            a[o + optionAt + 1] = 1;
            option.writeTo(a, o + optionAt + 2);
        }
        return p;
    }

    /** A Neighbor Discovery message received on {@code nic}; {@code packet} starts at its ICMPv6 header. */
    void handle(Nic nic, PacketInfo info, PacketBuffer packet, Icmpv6Header h) {
        LinkAddressCache neighbors = nic.neighbors();
        if (neighbors == null || h.type() == Icmpv6Header.TYPE_ROUTER_SOLICITATION
                || h.type() == Icmpv6Header.TYPE_REDIRECT) {
            return; // no neighbours on loopback; a host ignores solicitations for routers, and redirects are not followed
        }
        if (info.ttl() != HOP_LIMIT || h.code() != 0) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        int fixed = h.type() == Icmpv6Header.TYPE_ROUTER_ADVERTISEMENT ? RA_LENGTH : NS_NA_LENGTH;
        if (packet.length() < fixed || !packet.ensureFront(packet.length())) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        Options options = Options.parse(packet, fixed);
        if (options == null) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        switch (h.type()) {
            case Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION -> handleSolicitation(nic, neighbors, info, packet, options);
            case Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT -> handleAdvertisement(nic, neighbors, info, packet, h, options);
            default -> handleRouterAdvertisement(nic, neighbors, info, packet, options);
        }
    }

    private static IpAddress target(PacketBuffer packet) {
        return IpAddress.of(packet.array(), packet.offset() + TARGET, 16);
    }

    /** RFC 4861 §7.2.3, §7.2.4: learn the sender, answer for our own addresses. */
    private void handleSolicitation(Nic nic, LinkAddressCache neighbors, PacketInfo info, PacketBuffer packet,
                                    Options options) {
        IpAddress target = target(packet);
        IpAddress source = info.source();
        boolean fromUnspecified = source.isUnspecified();
        // §7.1.1: no multicast target; from :: only to a solicited-node group and without a link address.
        if (target.isMulticastOrBroadcast() || (fromUnspecified
                && (options.source != null || !target.solicitedNodeMulticast().equals(info.destination())))) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        stats.increment(StackCounter.NDP_SOLICITATIONS_RECEIVED);
        if (fromUnspecified && tentative.remove(target, nic)) {
            duplicateFound(nic, target); // another node is checking the same address (RFC 4862 §5.4.3)
            return;
        }
        if (!nic.hasAddress(target)) {
            return;
        }
        if (options.source != null) {
            neighbors.updateUnconfirmed(source, options.source);
        }
        // §7.2.4: solicited answer to the sender; to a detecting node, an unsolicited one to all nodes.
        IpAddress destination = fromUnspecified ? IpAddress.IPV6_ALL_NODES : source;
        int flags = FLAG_OVERRIDE | (fromUnspecified ? 0 : FLAG_SOLICITED);
        PacketBuffer p = message(Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT, flags, target, OPTION_TARGET_LINK_ADDRESS,
                nic.link().linkAddress());
        LinkAddress linkDestination = fromUnspecified ? LinkAddress.ofIpv6Multicast(destination) : options.source;
        stats.increment(StackCounter.NDP_ADVERTISEMENTS_SENT);
        ipv6.sendOnLink(nic, target, destination, linkDestination, p);
    }

    /** RFC 4861 §7.2.5: update an existing entry; an advertisement nobody asked about teaches nothing. */
    private void handleAdvertisement(Nic nic, LinkAddressCache neighbors, PacketInfo info, PacketBuffer packet,
                                     Icmpv6Header h, Options options) {
        IpAddress target = target(packet);
        boolean solicited = (h.word() & FLAG_SOLICITED) != 0;
        boolean override = (h.word() & FLAG_OVERRIDE) != 0;
        if (target.isMulticastOrBroadcast() || (solicited && info.destination().isMulticastOrBroadcast())) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        stats.increment(StackCounter.NDP_ADVERTISEMENTS_RECEIVED);
        if (tentative.remove(target, nic)) {
            duplicateFound(nic, target);
            return;
        }
        LinkAddressCache.State state = neighbors.state(target);
        if (state == null) {
            stats.increment(StackCounter.NDP_UNSOLICITED_IGNORED);
            return;
        }
        LinkAddress advertised = options.target;
        if (advertised == null) {
            if (solicited && state != LinkAddressCache.State.INCOMPLETE) {
                neighbors.confirm(target);
            }
            return;
        }
        LinkAddress cached = neighbors.lookup(target);
        boolean changes = cached != null && !cached.equals(advertised);
        if (changes && !override && state != LinkAddressCache.State.INCOMPLETE) {
            return; // §7.2.5: without the override flag a different address does not replace a known one
        }
        if (solicited) {
            neighbors.update(target, advertised);
        } else {
            neighbors.updateUnconfirmed(target, advertised);
        }
    }

    /**
     * RFC 4861 §6.1.2, §6.3.4: from a link-local router; its link address is learnt, and a non-zero
     * router lifetime makes it the NIC's default router for that long when no other default route
     * exists (a configured one always stays); a lifetime of 0 withdraws it. (Prefixes for stateless
     * autoconfiguration are not taken.)
     */
    private void handleRouterAdvertisement(Nic nic, LinkAddressCache neighbors, PacketInfo info, PacketBuffer packet,
                                           Options options) {
        IpAddress router = info.source();
        if (!router.isLinkLocal()) {
            stats.increment(StackCounter.NDP_INVALID);
            return;
        }
        stats.increment(StackCounter.NDP_ROUTER_ADVERTISEMENTS_RECEIVED);
        if (options.source != null) {
            neighbors.updateUnconfirmed(router, options.source);
        }
        int lifetimeSeconds = packet.getByte(6) << 8 | packet.getByte(7);
        RouteEntry route = RouteEntry.defaultVia(router, nic.id());
        Timer expiry = advertisedRoutes.get(route);
        if (lifetimeSeconds == 0) {
            if (expiry != null) {
                withdraw(route, expiry); // §6.3.4: a lifetime of 0 takes the router off the list at once
            }
            return;
        }
        if (expiry == null && hasDefaultRoute(nic)) {
            return; // a configured route, or another router's, stays
        }
        if (expiry != null) {
            expiry.cancel();
        }
        host.routes().add(route);
        Timer[] timer = new Timer[1];
        timer[0] = host.clock().schedule(TimeUnit.SECONDS.toNanos(lifetimeSeconds), () -> withdraw(route, timer[0]));
        advertisedRoutes.put(route, timer[0]);
    }

    /** Removes an advertised default route whose lifetime ended, unless a newer advertisement renewed it. */
    private void withdraw(RouteEntry route, Timer expiry) {
        if (advertisedRoutes.remove(route, expiry)) {
            expiry.cancel();
            host.routes().remove(route);
        }
    }

    private boolean hasDefaultRoute(Nic nic) {
        for (RouteEntry e : host.routes().entries()) {
            if (e.nicId() == nic.id() && e.gateway() != null && e.gateway().isV6() && e.destination().prefixLength() == 0) {
                return true;
            }
        }
        return false;
    }

    private void duplicateFound(Nic nic, IpAddress address) {
        stats.increment(StackCounter.NDP_DAD_DUPLICATES);
        nic.removeAddress(address);
        LOG.log(Level.WARNING, () -> "jnetstack: another node on " + nic.name() + " uses " + address
                + "; the address is removed (RFC 4862 §5.4.5)");
    }

    /** The link-address options of a message (RFC 4861 §4.6); null from {@link #parse} when one is malformed. */
    private static final class Options {
        LinkAddress source;
        LinkAddress target;

        static Options parse(PacketBuffer packet, int from) {
            Options o = new Options();
            byte[] a = packet.array();
            int base = packet.offset();
            int end = packet.length();
            int i = from;
            while (i < end) {
                if (i + 2 > end) {
                    return null;
                }
                int type = a[base + i] & 0xff;
                int length = (a[base + i + 1] & 0xff) * 8;
                if (length == 0 || i + length > end) {
                    return null; // §4.6: a zero length would loop forever, and is invalid
                }
                if (type == OPTION_SOURCE_LINK_ADDRESS || type == OPTION_TARGET_LINK_ADDRESS) {
                    if (length != LINK_ADDRESS_OPTION_LENGTH) {
                        return null;
                    }
                    LinkAddress mac = LinkAddress.of(a, base + i + 2);
                    if (type == OPTION_SOURCE_LINK_ADDRESS) {
                        o.source = mac;
                    } else {
                        o.target = mac;
                    }
                }
                i += length;
            }
            return o;
        }
    }
}
