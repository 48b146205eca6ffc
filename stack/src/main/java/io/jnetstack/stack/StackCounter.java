package io.jnetstack.stack;

import java.util.EnumSet;
import java.util.Set;

/** The stack's counters below the transport layer, per protocol (see {@link Stack#stats()}). */
public enum StackCounter {
    /** Tasks and frames a stack thread dropped after an unexpected Throwable (an OutOfMemoryError, a bug). */
    TASK_FAILURES,

    // Link / NIC
    FRAMES_RECEIVED,
    FRAMES_SENT,
    /** Too short for the link header, or unparseable. */
    FRAMES_MALFORMED,
    /** Ethernet destination neither ours nor broadcast/multicast, or the address of an IPv4 group not joined here. */
    FRAMES_NOT_FOR_US,
    FRAMES_UNKNOWN_ETHERTYPE,
    /** Received on a NIC that is disabled. */
    FRAMES_NIC_DISABLED,

    // ARP
    ARP_RECEIVED,
    ARP_MALFORMED,
    ARP_REQUESTS_SENT,
    /** Unicast requests checking a cached address (the PROBE state). */
    ARP_PROBES_SENT,
    ARP_REPLIES_SENT,
    /** Replies and announcements about hosts the neighbour cache has no entry for (Linux arp_accept=0). */
    ARP_UNSOLICITED_IGNORED,

    // IPv4
    IPV4_RECEIVED,
    IPV4_MALFORMED,
    IPV4_CHECKSUM_ERRORS,
    IPV4_INVALID_SOURCE,
    IPV4_INVALID_DESTINATION,
    IPV4_UNKNOWN_PROTOCOL,
    IPV4_FRAGMENTS_RECEIVED,
    IPV4_REASSEMBLED,
    /** Incomplete datagrams dropped when their reassembly timeout ran out (Linux's ReasmTimeout). */
    IPV4_REASSEMBLY_TIMEOUTS,
    /** Incomplete datagrams evicted, oldest first, to keep reassembly within its memory limit. */
    IPV4_REASSEMBLY_EVICTIONS,
    /** Datagrams discarded because a fragment overlapped data already received. */
    IPV4_REASSEMBLY_OVERLAPS,
    /** Datagrams discarded for an invalid fragment (length, offset, or a second, different end). */
    IPV4_REASSEMBLY_INVALID,
    IPV4_SENT,
    IPV4_FRAGMENTS_SENT,
    /** Larger than the MTU with DF set, or no route to the next hop's link address. */
    IPV4_OUTGOING_DROPPED,

    // ICMPv4
    ICMP_RECEIVED,
    ICMP_MALFORMED,
    ICMP_CHECKSUM_ERRORS,
    ICMP_ECHO_REQUESTS_RECEIVED,
    ICMP_ECHO_REPLIES_SENT,
    ICMP_ECHO_REPLIES_RECEIVED,
    ICMP_ERRORS_RECEIVED,
    ICMP_ERRORS_SENT,
    ICMP_ERRORS_RATE_LIMITED,
    /** "Fragmentation needed" errors whose next-hop MTU was below the floor and was raised to it. */
    ICMP_PATH_MTU_CLAMPED,

    // IPv6
    IPV6_RECEIVED,
    /** Bad version, or a payload length beyond the bytes that arrived. */
    IPV6_MALFORMED,
    /** Multicast or, from off the link, loopback source (RFC 4291 §2.5.3, §2.7). */
    IPV6_INVALID_SOURCE,
    /** Unicast to an address that is not ours. */
    IPV6_INVALID_DESTINATION,
    /** Multicast to a group this host has not joined: normal on a shared link (another node's solicited-node group). */
    IPV6_OTHER_MULTICAST,
    /** Extension header chains that were malformed, too long, or said to discard the packet. */
    IPV6_BAD_EXTENSION_HEADERS,
    /** Next header is a protocol no transport is registered for. */
    IPV6_UNKNOWN_PROTOCOL,
    /** Atomic fragments (offset 0, no more fragments), processed without reassembly (RFC 6946). */
    IPV6_ATOMIC_FRAGMENTS,
    IPV6_FRAGMENTS_RECEIVED,
    IPV6_REASSEMBLED,
    IPV6_REASSEMBLY_TIMEOUTS,
    IPV6_REASSEMBLY_EVICTIONS,
    IPV6_REASSEMBLY_OVERLAPS,
    IPV6_REASSEMBLY_INVALID,
    IPV6_SENT,
    IPV6_FRAGMENTS_SENT,
    /** Larger than the MTU when not to be fragmented, or too large for any IPv6 packet. */
    IPV6_OUTGOING_DROPPED,

    // ICMPv6
    ICMPV6_RECEIVED,
    ICMPV6_MALFORMED,
    ICMPV6_CHECKSUM_ERRORS,
    ICMPV6_ECHO_REQUESTS_RECEIVED,
    ICMPV6_ECHO_REPLIES_SENT,
    ICMPV6_ECHO_REPLIES_RECEIVED,
    ICMPV6_ERRORS_RECEIVED,
    ICMPV6_ERRORS_SENT,
    ICMPV6_ERRORS_RATE_LIMITED,
    /** Packet-too-big errors whose MTU was below IPv6's 1280 and was raised to it (RFC 8201 §4). */
    ICMPV6_PATH_MTU_CLAMPED,

    // Neighbor Discovery (RFC 4861)
    NDP_SOLICITATIONS_SENT,
    /** Unicast solicitations checking a cached address (the PROBE state). */
    NDP_PROBES_SENT,
    NDP_ADVERTISEMENTS_SENT,
    NDP_SOLICITATIONS_RECEIVED,
    NDP_ADVERTISEMENTS_RECEIVED,
    NDP_ROUTER_ADVERTISEMENTS_RECEIVED,
    /** Messages failing RFC 4861's validity checks: hop limit not 255, bad code, length or options. */
    NDP_INVALID,
    /** Advertisements about neighbours the cache has no entry for (RFC 4861 §7.2.5). */
    NDP_UNSOLICITED_IGNORED,
    /** Duplicate address detection probes sent (RFC 4862 §5.4.2). */
    NDP_DAD_PROBES_SENT,
    /** Addresses given up because another node on the link uses them (RFC 4862 §5.4.5). */
    NDP_DAD_DUPLICATES,

    // IGMP
    IGMP_RECEIVED,
    /** Too short, an unknown query length, or a bad checksum. */
    IGMP_MALFORMED,
    IGMP_QUERIES_RECEIVED,
    IGMP_REPORTS_SENT,

    // UDP
    UDP_RECEIVED,
    UDP_MALFORMED,
    UDP_CHECKSUM_ERRORS,
    UDP_NO_PORT,
    UDP_RECEIVE_BUFFER_ERRORS,
    UDP_SENT;

    /** The counters that count a packet (or datagram) dropped: each is also a jnetstack.PacketDrop JFR event. */
    public static final Set<StackCounter> DROPS = EnumSet.of(TASK_FAILURES,
            FRAMES_MALFORMED, FRAMES_NOT_FOR_US, FRAMES_UNKNOWN_ETHERTYPE, FRAMES_NIC_DISABLED,
            ARP_MALFORMED, ARP_UNSOLICITED_IGNORED,
            IPV4_MALFORMED, IPV4_CHECKSUM_ERRORS, IPV4_INVALID_SOURCE, IPV4_INVALID_DESTINATION, IPV4_UNKNOWN_PROTOCOL,
            IPV4_REASSEMBLY_TIMEOUTS, IPV4_REASSEMBLY_EVICTIONS, IPV4_REASSEMBLY_OVERLAPS, IPV4_REASSEMBLY_INVALID,
            IPV4_OUTGOING_DROPPED,
            ICMP_MALFORMED, ICMP_CHECKSUM_ERRORS,
            IPV6_MALFORMED, IPV6_INVALID_SOURCE, IPV6_INVALID_DESTINATION, IPV6_BAD_EXTENSION_HEADERS,
            IPV6_UNKNOWN_PROTOCOL, IPV6_REASSEMBLY_TIMEOUTS, IPV6_REASSEMBLY_EVICTIONS, IPV6_REASSEMBLY_OVERLAPS,
            IPV6_REASSEMBLY_INVALID, IPV6_OUTGOING_DROPPED,
            ICMPV6_MALFORMED, ICMPV6_CHECKSUM_ERRORS, NDP_INVALID, NDP_UNSOLICITED_IGNORED,
            IGMP_MALFORMED,
            UDP_MALFORMED, UDP_CHECKSUM_ERRORS, UDP_NO_PORT, UDP_RECEIVE_BUFFER_ERRORS);
}
