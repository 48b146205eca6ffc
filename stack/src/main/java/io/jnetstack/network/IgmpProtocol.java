package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.link.LinkType;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.StackCounter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * IGMP, the host side: tells multicast routers which groups an Ethernet NIC's sockets joined.
 * IGMPv3 (RFC 3376) by default; a query from an IGMPv2 or v1 router makes the NIC speak that
 * version until no such query has come for the Older Version Querier Present Timeout (§7.2.1).
 *
 * <p>What is reported is the NIC's membership of each group as EXCLUDE with no sources, that is
 * "every source": sockets filter sources themselves, so a source-specific membership makes the
 * router send the whole group (more than needed, never less). Routers' queries are answered after a
 * random delay up to their Max Resp Time (§5.2); a join or leave is reported at once and repeated
 * {@value #ROBUSTNESS} times in all (§5.1). The all-hosts group 224.0.0.1, which every host is a
 * member of (RFC 1112 §7.2), is never reported. Loopback NICs report nothing.
 *
 * <p>Threads: joins and leaves come on the application's thread, queries on the link's, retries
 * on the clock's; they meet under this object's lock.
 */
final class IgmpProtocol {
    static final int PROTOCOL = 2;
    static final IpAddress ALL_HOSTS = IpAddress.parse("224.0.0.1");
    static final IpAddress ALL_ROUTERS = IpAddress.parse("224.0.0.2");
    /** Where IGMPv3 reports go (RFC 3376 §4.2.14). */
    static final IpAddress V3_ROUTERS = IpAddress.parse("224.0.0.22");
    static final int TYPE_QUERY = 0x11;
    static final int TYPE_V1_REPORT = 0x12;
    static final int TYPE_V2_REPORT = 0x16;
    static final int TYPE_V2_LEAVE = 0x17;
    static final int TYPE_V3_REPORT = 0x22;
    // RFC 3376 §4.2.12 group record types.
    static final int MODE_IS_EXCLUDE = 2;
    static final int CHANGE_TO_INCLUDE_MODE = 3;
    static final int CHANGE_TO_EXCLUDE_MODE = 4;
    /** RFC 3376 §8.1: the Robustness Variable's default. */
    static final int ROBUSTNESS = 2;
    /** RFC 3376 §8.11: how far apart a state change's repetitions may be, at most. */
    static final long UNSOLICITED_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** RFC 3376 §8.12: Robustness × Query Interval (125 s) + Query Response Interval (10 s). */
    static final long OLDER_QUERIER_PRESENT_NANOS = TimeUnit.SECONDS.toNanos(ROBUSTNESS * 125 + 10);
    /** IGMPv1 queries carry no Max Resp Time: 10 s (RFC 2236 §4). */
    private static final long V1_MAX_RESPONSE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int HEADER_LENGTH = 8;
    private static final int V3_QUERY_MIN_LENGTH = 12;

    private final NetworkHost host;
    private final Ipv4Protocol ipv4;
    private final Counters<StackCounter> stats;
    /** Per NIC id: until when an IGMPv1 querier, and an IGMPv2 one, make it speak their version (clock nanos). */
    private final Map<Integer, long[]> olderQuerierUntil = new HashMap<>();

    IgmpProtocol(NetworkHost host, Ipv4Protocol ipv4) {
        this.host = host;
        this.ipv4 = ipv4;
        this.stats = host.stats();
    }

    /** The IGMP version {@code nic} speaks now: 1, 2 or 3. */
    synchronized int version(Nic nic) {
        long[] until = olderQuerierUntil.get(nic.id());
        long now = host.clock().nanoTime();
        if (until != null && until[0] - now > 0) {
            return 1;
        }
        if (until != null && until[1] - now > 0) {
            return 2;
        }
        return 3;
    }

    /** A socket's first join of {@code group} on {@code nic}, or the last leave: report the change (RFC 3376 §5.1). */
    synchronized void membershipChanged(Nic nic, IpAddress group, boolean joined) {
        if (!reports(nic, group)) {
            return;
        }
        int version = version(nic);
        if (version == 1 && !joined) {
            return; // IGMPv1 has no leave
        }
        if (version < 3 && !joined) {
            send(nic, ALL_ROUTERS, message(TYPE_V2_LEAVE, group)); // RFC 2236 §3: one Leave is enough
            return;
        }
        Runnable report = () -> {
            if (nic.isMemberOf(group) == joined) { // a later change replaces this one's repetitions
                sendStateChange(nic, group, joined);
            }
        };
        sendStateChange(nic, group, joined);
        for (int i = 1; i < ROBUSTNESS; i++) {
            later(ThreadLocalRandom.current().nextLong(UNSOLICITED_REPORT_INTERVAL_NANOS) + 1, report);
        }
    }

    private void sendStateChange(Nic nic, IpAddress group, boolean joined) {
        switch (version(nic)) {
            case 1 -> send(nic, group, message(TYPE_V1_REPORT, group));
            case 2 -> send(nic, group, message(TYPE_V2_REPORT, group));
            default -> send(nic, V3_ROUTERS, v3Report(List.of(group), joined ? CHANGE_TO_EXCLUDE_MODE : CHANGE_TO_INCLUDE_MODE));
        }
    }

    /**
     * An IGMP message received on {@code nic} (the IPv4 header gone). Queries are answered; other
     * hosts' reports need nothing from us (IGMPv3 hosts do not suppress, and neither do we in the
     * older versions: an extra report is harmless).
     */
    void handlePacket(Nic nic, PacketBuffer message) {
        stats.increment(StackCounter.IGMP_RECEIVED);
        int length = message.length();
        if (length < HEADER_LENGTH || !Checksum.verifies(Checksum.add(0, message, 0, length))) {
            stats.increment(StackCounter.IGMP_MALFORMED);
            return;
        }
        byte[] head = new byte[HEADER_LENGTH];
        message.copyTo(0, head, 0, HEADER_LENGTH);
        if ((head[0] & 0xff) != TYPE_QUERY) {
            return;
        }
        int maxResponseCode = head[1] & 0xff;
        int version = length == HEADER_LENGTH ? (maxResponseCode == 0 ? 1 : 2) : length >= V3_QUERY_MIN_LENGTH ? 3 : 0;
        if (version == 0) {
            stats.increment(StackCounter.IGMP_MALFORMED); // RFC 3376 §7.1: 9 to 11 bytes is no query
            return;
        }
        stats.increment(StackCounter.IGMP_QUERIES_RECEIVED);
        IpAddress group = IpAddress.v4(((head[4] & 0xff) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff));
        synchronized (this) {
            if (version < 3) {
                long now = host.clock().nanoTime();
                long[] until = olderQuerierUntil.computeIfAbsent(nic.id(), id -> new long[] {now, now}); // both passed
                until[version - 1] = now + OLDER_QUERIER_PRESENT_NANOS;
            }
            long maxResponse = version == 1 ? V1_MAX_RESPONSE_NANOS : maxResponseNanos(maxResponseCode, version);
            Set<IpAddress> asked = group.isUnspecified() ? nic.groups() : nic.isMemberOf(group) ? Set.of(group) : Set.of();
            for (IpAddress g : asked) {
                if (reports(nic, g)) {
                    later(ThreadLocalRandom.current().nextLong(Math.max(1, maxResponse)) + 1, () -> answer(nic, g));
                }
            }
        }
    }

    /** Reports {@code group}'s current state, if the NIC is still a member (RFC 3376 §5.2). */
    private synchronized void answer(Nic nic, IpAddress group) {
        if (!nic.isMemberOf(group)) {
            return;
        }
        switch (version(nic)) {
            case 1 -> send(nic, group, message(TYPE_V1_REPORT, group));
            case 2 -> send(nic, group, message(TYPE_V2_REPORT, group));
            default -> send(nic, V3_ROUTERS, v3Report(List.of(group), MODE_IS_EXCLUDE));
        }
    }

    /**
     * A query's Max Resp Code in nanoseconds, in units of 100 ms: as it is below 128, else the
     * floating-point form of RFC 3376 §4.1.1 (IGMPv2 has only the plain form).
     */
    static long maxResponseNanos(int code, int version) {
        long tenths = code < 128 || version < 3 ? code : (long) ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3);
        return TimeUnit.MILLISECONDS.toNanos(tenths * 100);
    }

    private static boolean reports(Nic nic, IpAddress group) {
        return nic.link().linkType() == LinkType.ETHERNET && !group.equals(ALL_HOSTS);
    }

    /** Runs {@code task} after {@code delayNanos}; a NIC disabled by then (its stack closed) drops what it sends. */
    private void later(long delayNanos, Runnable task) {
        host.clock().schedule(delayNanos, task);
    }

    /** An 8-byte IGMPv1/v2 message (RFC 2236 §2) about {@code group}, checksummed. */
    private static byte[] message(int type, IpAddress group) {
        byte[] m = new byte[HEADER_LENGTH];
        m[0] = (byte) type;
        putGroup(m, 4, group);
        return checksummed(m);
    }

    /** An IGMPv3 report (RFC 3376 §4.2) with one record per group of {@code recordType}, no sources. */
    private static byte[] v3Report(List<IpAddress> groups, int recordType) {
        byte[] m = new byte[HEADER_LENGTH + 8 * groups.size()];
        m[0] = (byte) TYPE_V3_REPORT;
        m[6] = (byte) (groups.size() >> 8);
        m[7] = (byte) groups.size();
        int at = HEADER_LENGTH;
        for (IpAddress g : groups) {
            m[at] = (byte) recordType; // aux data length and number of sources stay 0
            putGroup(m, at + 4, g);
            at += 8;
        }
        return checksummed(m);
    }

    private static void putGroup(byte[] m, int at, IpAddress group) {
        int g = group.toInt();
        m[at] = (byte) (g >>> 24);
        m[at + 1] = (byte) (g >>> 16);
        m[at + 2] = (byte) (g >>> 8);
        m[at + 3] = (byte) g;
    }

    private static byte[] checksummed(byte[] m) {
        int sum = Checksum.finish(Checksum.add(0, m, 0, m.length));
        m[2] = (byte) (sum >> 8);
        m[3] = (byte) sum;
        return m;
    }

    private void send(Nic nic, IpAddress destination, byte[] message) {
        stats.increment(StackCounter.IGMP_REPORTS_SENT);
        ipv4.sendIgmp(nic, destination, message);
    }
}
