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
            UDP_MALFORMED, UDP_CHECKSUM_ERRORS, UDP_NO_PORT, UDP_RECEIVE_BUFFER_ERRORS);
}
