package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.TwoStacks;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP between two dual-stack stacks over IPv6: exchange, fragmentation, ICMPv6 port unreachable, zero checksums. */
class UdpOverIpv6Test {
    private final TwoStacks net = TwoStacks.builder().ipv6().build();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void datagramsFlowBothWaysWithTheSendersIpv6Address() throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        a.bind(IpAddress.IPV6_ANY, 5000);
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(ADDRESS6_B, 6000);

        a.send(payload("hello B"), ADDRESS6_B, 6000);
        net.settle();
        UdpEndpoint.Datagram atB = b.receive();
        assertEquals("hello B", text(atB));
        assertEquals(ADDRESS6_A, atB.sourceAddress());

        b.send(payload("hello A"), atB.sourceAddress(), atB.sourcePort());
        net.settle();
        UdpEndpoint.Datagram atA = a.receive();
        assertEquals("hello A", text(atA));
        assertEquals(ADDRESS6_B, atA.sourceAddress());
        assertEquals(6000, atA.sourcePort());
    }

    @Test
    void aDatagramLargerThanTheMtuIsFragmentedAndReassembled() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV6_ANY, 6000);
        byte[] big = new byte[9000];
        Arrays.fill(big, (byte) 0x42);
        net.udpA.newEndpoint().send(ByteBuffer.wrap(big), ADDRESS6_B, 6000);
        net.settle();

        UdpEndpoint.Datagram d = b.receive();
        assertArrayEquals(big, d.data());
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLED));
    }

    @Test
    void aConnectedSenderLearnsOfAClosedPortFromIcmpv6() throws Exception {
        UdpEndpoint a = net.udpA.newEndpoint();
        a.connect(ADDRESS6_B, 9);
        a.send(payload("anyone?"), ADDRESS6_B, 9);
        net.settle();

        assertEquals(1, net.b.stats().get(StackCounter.ICMPV6_ERRORS_SENT));
        assertThrows(PortUnreachableException.class, a::receive);
    }

    @Test
    void aZeroChecksumIsDroppedOverIpv6() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV6_ANY, 6000);
        byte[] udp = {0x13, (byte) 0x88, 0x17, 0x70, 0, 10, 0, 0, 'h', 'i'};
        PacketBuffer frame = Ipv6Frames.frame(net.pipe.b().linkAddress(), ADDRESS6_A, ADDRESS6_B,
                Ipv6Header.NEXT_UDP, 64, udp);
        net.nicB.deliverNetworkPacket(frame);
        net.settle();

        assertNull(b.receive());
        assertEquals(1, net.b.stats().get(StackCounter.UDP_CHECKSUM_ERRORS));
    }

    @Test
    void theLargestDatagramIsIpv6sNotIpv4s() throws Exception {
        UdpEndpoint b = net.udpB.newEndpoint();
        b.bind(IpAddress.IPV6_ANY, 6000);
        UdpEndpoint a = net.udpA.newEndpoint();

        assertEquals(UdpEndpoint.MAX_PAYLOAD_IPV6, a.send(ByteBuffer.allocate(UdpEndpoint.MAX_PAYLOAD_IPV6), ADDRESS6_B, 6000));
        assertThrows(java.net.SocketException.class,
                () -> a.send(ByteBuffer.allocate(UdpEndpoint.MAX_PAYLOAD_IPV6 + 1), ADDRESS6_B, 6000));
        net.settle();
        assertEquals(UdpEndpoint.MAX_PAYLOAD_IPV6, b.receive().data().length);
    }
}
