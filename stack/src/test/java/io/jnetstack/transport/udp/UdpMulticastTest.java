package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IPv4 multicast over two stacks on an Ethernet pipe: sockets that joined a group on a NIC get
 * the group's datagrams there, filtered by source; a group maps to its Ethernet address
 * (RFC 1112 §6.4); IP_MULTICAST_TTL and IP_MULTICAST_LOOP; and sockets sharing a port through
 * SO_REUSEADDR.
 */
class UdpMulticastTest {
    private static final IpAddress GROUP = IpAddress.parse("239.1.2.3");
    private static final int PORT = 4446;

    /** Every frame stack A puts on the wire. */
    private final List<byte[]> framesFromA = new ArrayList<>();
    private final TwoStacks net = TwoStacks.builder().wrapA((link, clock) -> new WrappingLink(link) {
        @Override
        public void writeFrame(PacketBuffer frame) {
            framesFromA.add(frame.toByteArray());
            super.writeFrame(frame);
        }
    }).build();

    @AfterEach
    void close() {
        net.close();
    }

    private UdpEndpoint member(UdpProtocol udp, int nicId) throws Exception {
        UdpEndpoint ep = udp.newEndpoint();
        ep.setReuseAddress(true);
        ep.bind(IpAddress.IPV4_ANY, PORT);
        ep.join(GROUP, nicId, null);
        return ep;
    }

    private UdpEndpoint sender() throws Exception {
        UdpEndpoint s = net.udpA.newEndpoint();
        s.setMulticastNic(net.nicA.id());
        return s;
    }

    @Test
    void everyMemberSharingThePortGetsTheGroupsDatagrams() throws Exception {
        UdpEndpoint first = member(net.udpB, net.nicB.id());
        UdpEndpoint second = member(net.udpB, net.nicB.id());
        UdpEndpoint notJoined = net.udpB.newEndpoint();
        notJoined.setReuseAddress(true);
        notJoined.bind(IpAddress.IPV4_ANY, PORT);
        sender().send(payload("to the group"), GROUP, PORT);
        net.settle();
        assertEquals(List.of("to the group"), receiveAll(first));
        assertEquals(List.of("to the group"), receiveAll(second));
        assertEquals(List.of(), receiveAll(notJoined), "a socket gets only groups it joined (IP_MULTICAST_ALL off, as the JDK's)");
    }

    @Test
    void aGroupGoesToItsEthernetAddressWithTtlOne() throws Exception {
        member(net.udpB, net.nicB.id());
        sender().send(payload("x"), GROUP, PORT);
        byte[] frame = framesFromA.get(framesFromA.size() - 1);
        assertArrayEquals(new byte[] {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}, Arrays.copyOfRange(frame, 0, 6),
                "RFC 1112 §6.4: 01-00-5E and the group's low 23 bits, no ARP");
        assertEquals(LinkAddress.ofIpv4Multicast(GROUP), LinkAddress.of(frame, 0));
        assertEquals(1, frame[EthernetHeader.LENGTH + 8] & 0xff, "IP_MULTICAST_TTL defaults to 1");
    }

    @Test
    void theTtlIsTheSocketsMulticastTtl() throws Exception {
        UdpEndpoint s = sender();
        s.setMulticastTtl(7);
        s.send(payload("x"), GROUP, PORT);
        assertEquals(7, framesFromA.get(framesFromA.size() - 1)[EthernetHeader.LENGTH + 8] & 0xff);
    }

    @Test
    void aNicThatJoinedNothingDropsTheGroup() throws Exception {
        UdpEndpoint bound = net.udpB.newEndpoint();
        bound.bind(IpAddress.IPV4_ANY, PORT);
        long before = net.b.stats().get(StackCounter.FRAMES_NOT_FOR_US);
        sender().send(payload("x"), GROUP, PORT);
        net.settle();
        assertEquals(before + 1, net.b.stats().get(StackCounter.FRAMES_NOT_FOR_US),
                "the Ethernet multicast filter: not a group of NIC B's");
        bound.close();
        UdpEndpoint joined = member(net.udpB, net.nicB.id());
        assertTrue(net.nicB.isMemberOf(GROUP));
        joined.close();
        assertFalse(net.nicB.isMemberOf(GROUP), "the last membership's end leaves the group");
    }

    @Test
    void aGroupSharingAJoinedGroupsEthernetAddressIsDroppedByIpv4() throws Exception {
        UdpEndpoint joined = member(net.udpB, net.nicB.id());
        IpAddress twin = IpAddress.parse("224.129.2.3"); // same low 23 bits as 239.1.2.3
        long before = net.b.stats().get(StackCounter.IPV4_INVALID_DESTINATION);
        sender().send(payload("twin"), twin, PORT);
        net.settle();
        assertEquals(before + 1, net.b.stats().get(StackCounter.IPV4_INVALID_DESTINATION), "past the Ethernet filter, not IPv4's");
        assertEquals(List.of(), receiveAll(joined));
    }

    @Test
    void blockedSourcesAndSourceSpecificMembershipsFilter() throws Exception {
        UdpEndpoint anySource = member(net.udpB, net.nicB.id());
        anySource.block(GROUP, net.nicB.id(), ADDRESS_A);
        UdpEndpoint onlyA = net.udpB.newEndpoint();
        onlyA.setReuseAddress(true);
        onlyA.bind(IpAddress.IPV4_ANY, PORT);
        onlyA.join(GROUP, net.nicB.id(), ADDRESS_A);
        UdpEndpoint onlyOther = net.udpB.newEndpoint();
        onlyOther.setReuseAddress(true);
        onlyOther.bind(IpAddress.IPV4_ANY, PORT);
        onlyOther.join(GROUP, net.nicB.id(), IpAddress.parse("10.0.0.99"));
        sender().send(payload("from A"), GROUP, PORT);
        net.settle();
        assertEquals(List.of(), receiveAll(anySource), "blocked");
        assertEquals(List.of("from A"), receiveAll(onlyA));
        assertEquals(List.of(), receiveAll(onlyOther));
        anySource.unblock(GROUP, net.nicB.id(), ADDRESS_A);
        sender().send(payload("again"), GROUP, PORT);
        net.settle();
        assertEquals(List.of("again"), receiveAll(anySource));
    }

    @Test
    void theSendersOwnMembersGetALoopedCopyUnlessLoopIsOff() throws Exception {
        UdpEndpoint local = member(net.udpA, net.nicA.id());
        UdpEndpoint s = sender();
        s.send(payload("looped"), GROUP, PORT);
        assertEquals(List.of("looped"), receiveAll(local));
        s.setMulticastLoop(false);
        s.send(payload("not looped"), GROUP, PORT);
        net.settle();
        assertEquals(List.of(), receiveAll(local));
    }

    @Test
    void unicastToASharedPortGoesToTheLatestBoundThenToTheOtherOnceItCloses() throws Exception {
        UdpEndpoint earlier = member(net.udpB, net.nicB.id());
        UdpEndpoint later = member(net.udpB, net.nicB.id());
        UdpEndpoint s = net.udpA.newEndpoint();
        s.send(payload("one"), ADDRESS_B, PORT);
        net.settle();
        assertEquals(List.of("one"), receiveAll(later));
        assertEquals(List.of(), receiveAll(earlier));
        later.close();
        s.send(payload("two"), ADDRESS_B, PORT);
        net.settle();
        assertEquals(List.of("two"), receiveAll(earlier));
    }

    @Test
    void withoutReuseAddressAPortIsNotShared() throws Exception {
        UdpEndpoint first = net.udpB.newEndpoint();
        first.bind(IpAddress.IPV4_ANY, PORT);
        UdpEndpoint second = net.udpB.newEndpoint();
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.net.BindException.class,
                () -> second.bind(IpAddress.IPV4_ANY, PORT)).getMessage().contains("Address already in use"));
    }
}
