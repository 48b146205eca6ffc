package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IGMP on an Ethernet NIC (RFC 3376, with RFC 2236's IGMPv2 when a v2 router asks): joins and
 * leaves are reported at once and repeated, queries answered within their Max Resp Time, every
 * message sent with TTL 1 and Router Alert to the right group address.
 */
class IgmpTest {
    private static final IpAddress GROUP = IpAddress.parse("239.1.2.3");
    private static final IpAddress ROUTER = IpAddress.parse("10.0.0.254");

    /** IGMP messages (IPv4 header and all) stack A put on the wire, with their frames' destinations. */
    private final List<byte[]> igmpFromA = new ArrayList<>();
    private final List<LinkAddress> igmpDestinations = new ArrayList<>();
    private final TwoStacks net = TwoStacks.builder().wrapA((link, clock) -> new WrappingLink(link) {
        @Override
        public void writeFrame(PacketBuffer frame) {
            byte[] f = frame.toByteArray();
            if ((((f[12] & 0xff) << 8) | (f[13] & 0xff)) == EthernetHeader.TYPE_IPV4 && f[EthernetHeader.LENGTH + 9] == IgmpProtocol.PROTOCOL) {
                igmpFromA.add(Arrays.copyOfRange(f, EthernetHeader.LENGTH, f.length));
                igmpDestinations.add(LinkAddress.of(f, 0));
            }
            super.writeFrame(frame);
        }
    }).build();

    @AfterEach
    void close() {
        net.close();
    }

    private UdpEndpoint join() throws Exception {
        UdpEndpoint ep = net.udpA.newEndpoint();
        ep.bind(IpAddress.IPV4_ANY, 4446);
        ep.join(GROUP, net.nicA.id(), null);
        return ep;
    }

    /** The IGMP message of packet {@code i}, after checking its IPv4 header: TTL 1, Router Alert, {@code destination}. */
    private byte[] igmp(int i, IpAddress destination) {
        byte[] ip = igmpFromA.get(i);
        Ipv4Header h = new Ipv4Header(ip, 0);
        assertEquals(Ipv4Header.ROUTER_ALERT_LENGTH, h.headerLength(), "a header with one option");
        assertArrayEquals(new byte[] {(byte) 148, 4, 0, 0}, Arrays.copyOfRange(ip, 20, 24), "Router Alert (RFC 2113)");
        assertTrue(h.isChecksumValid());
        assertEquals(1, h.ttl());
        assertEquals(destination, IpAddress.v4(h.destination()));
        assertEquals(TwoStacks.ADDRESS_A, IpAddress.v4(h.source()));
        assertEquals(LinkAddress.ofIpv4Multicast(destination), igmpDestinations.get(i));
        byte[] m = Arrays.copyOfRange(ip, h.headerLength(), ip.length);
        assertTrue(Checksum.verifies(Checksum.add(0, m, 0, m.length)), "IGMP checksum");
        return m;
    }

    /** Checks a one-record IGMPv3 report for {@link #GROUP}. */
    private void assertV3Report(byte[] m, int recordType) {
        assertEquals(IgmpProtocol.TYPE_V3_REPORT, m[0] & 0xff);
        assertEquals(1, ((m[6] & 0xff) << 8) | (m[7] & 0xff), "one group record");
        assertEquals(recordType, m[8] & 0xff, "record type");
        assertEquals(0, ((m[10] & 0xff) << 8) | (m[11] & 0xff), "no sources");
        assertEquals(GROUP, IpAddress.v4(java.nio.ByteBuffer.wrap(m, 12, 4).getInt()));
    }

    /** Delivers an IGMP query from a router to stack A: {@code length} 8 (v1/v2) or 12 (v3). */
    private void query(IpAddress group, int maxResponseCode, int length, boolean badChecksum) {
        byte[] m = new byte[length];
        m[0] = (byte) IgmpProtocol.TYPE_QUERY;
        m[1] = (byte) maxResponseCode;
        java.nio.ByteBuffer.wrap(m, 4, 4).putInt(group.toInt());
        int sum = Checksum.finish(Checksum.add(0, m, 0, m.length)) ^ (badChecksum ? 0x5555 : 0);
        m[2] = (byte) (sum >> 8);
        m[3] = (byte) sum;
        IpAddress destination = group.isUnspecified() ? IgmpProtocol.ALL_HOSTS : group;
        byte[] frame = new byte[EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + length];
        new EthernetHeader(frame, 0).encode(LinkAddress.parse("02:00:00:00:00:fe"), LinkAddress.ofIpv4Multicast(destination),
                EthernetHeader.TYPE_IPV4);
        new Ipv4Header(frame, EthernetHeader.LENGTH).encode(Ipv4Fields.of(ROUTER.toInt(), destination.toInt(),
                IgmpProtocol.PROTOCOL, 1, 1, Ipv4Header.MIN_LENGTH + length, false));
        System.arraycopy(m, 0, frame, EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH, length);
        net.nicA.deliverNetworkPacket(PacketBuffer.wrap(frame, 0, frame.length));
    }

    @Test
    void aJoinIsReportedAtOnceAndOnceMoreWithinASecond() throws Exception {
        join();
        assertEquals(1, igmpFromA.size());
        assertV3Report(igmp(0, IgmpProtocol.V3_ROUTERS), IgmpProtocol.CHANGE_TO_EXCLUDE_MODE);
        net.advance(Duration.ofSeconds(1));
        assertEquals(2, igmpFromA.size(), "Robustness Variable 2: the change goes twice");
        assertV3Report(igmp(1, IgmpProtocol.V3_ROUTERS), IgmpProtocol.CHANGE_TO_EXCLUDE_MODE);
        net.advance(Duration.ofSeconds(10));
        assertEquals(2, igmpFromA.size(), "and no more");
    }

    @Test
    void theLastLeaveIsReportedAsChangeToIncludeNothing() throws Exception {
        UdpEndpoint first = join();
        UdpEndpoint second = net.udpA.newEndpoint();
        second.join(GROUP, net.nicA.id(), null);
        net.advance(Duration.ofSeconds(1));
        int before = igmpFromA.size();
        first.close();
        assertEquals(before, igmpFromA.size(), "the NIC is still a member");
        second.close();
        assertV3Report(igmp(before, IgmpProtocol.V3_ROUTERS), IgmpProtocol.CHANGE_TO_INCLUDE_MODE);
    }

    @Test
    void aGeneralQueryIsAnsweredWithinItsMaxResponseTime() throws Exception {
        join();
        net.advance(Duration.ofSeconds(1));
        int before = igmpFromA.size();
        query(IpAddress.IPV4_ANY, 100, 12, false); // 10 s
        net.advance(Duration.ofSeconds(10));
        assertEquals(before + 1, igmpFromA.size());
        assertV3Report(igmp(before, IgmpProtocol.V3_ROUTERS), IgmpProtocol.MODE_IS_EXCLUDE);
        assertEquals(1, net.a.stats().get(StackCounter.IGMP_QUERIES_RECEIVED));
    }

    @Test
    void anIgmpV2QueryMakesTheNicSpeakV2UntilTheOlderQuerierIsGone() throws Exception {
        UdpEndpoint member = join();
        net.advance(Duration.ofSeconds(1));
        int before = igmpFromA.size();
        query(IpAddress.IPV4_ANY, 100, 8, false);
        net.advance(Duration.ofSeconds(10));
        byte[] report = igmp(before, GROUP);
        assertEquals(IgmpProtocol.TYPE_V2_REPORT, report[0] & 0xff, "a v2 report, sent to the group");
        member.close();
        byte[] leave = igmp(before + 1, IgmpProtocol.ALL_ROUTERS);
        assertEquals(IgmpProtocol.TYPE_V2_LEAVE, leave[0] & 0xff);
        net.advance(Duration.ofNanos(IgmpProtocol.OLDER_QUERIER_PRESENT_NANOS));
        join();
        assertV3Report(igmp(before + 2, IgmpProtocol.V3_ROUTERS), IgmpProtocol.CHANGE_TO_EXCLUDE_MODE);
    }

    @Test
    void aQueryWithABadChecksumIsCountedAndIgnored() throws Exception {
        join();
        net.advance(Duration.ofSeconds(1));
        int before = igmpFromA.size();
        query(IpAddress.IPV4_ANY, 100, 12, true);
        net.advance(Duration.ofSeconds(10));
        assertEquals(before, igmpFromA.size());
        assertEquals(1, net.a.stats().get(StackCounter.IGMP_MALFORMED));
    }

    @Test
    void maxResponseCodesAboveOneTwentySevenAreFloatingPoint() {
        assertEquals(Duration.ofSeconds(10).toNanos(), IgmpProtocol.maxResponseNanos(100, 3));
        // RFC 3376 §4.1.1: 0x8F is exponent 0, mantissa 15: (15 | 16) << 3 = 248 tenths.
        assertEquals(Duration.ofMillis(24_800).toNanos(), IgmpProtocol.maxResponseNanos(0x8f, 3));
        assertEquals(Duration.ofMillis(14_300).toNanos(), IgmpProtocol.maxResponseNanos(0x8f, 2), "IGMPv2: plain tenths");
    }
}
