package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.payload;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.testing.TwoStacks;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP broadcast with SO_BROADCAST: refused without it (Linux's EACCES); with it a directed or
 * limited broadcast goes to the link's broadcast address, every socket bound to the port on the
 * wildcard address gets it, and so does the sending host.
 */
class UdpBroadcastTest {
    private static final int PORT = 5353;
    private static final IpAddress DIRECTED = IpAddress.parse("10.0.0.255");

    private final List<LinkAddress> destinationsFromA = new ArrayList<>();
    private final TwoStacks net = TwoStacks.builder().wrapA((link, clock) -> new WrappingLink(link) {
        @Override
        public void writeFrame(PacketBuffer frame) {
            destinationsFromA.add(LinkAddress.of(frame.toByteArray(), 0));
            super.writeFrame(frame);
        }
    }).build();

    @AfterEach
    void close() {
        net.close();
    }

    private static UdpEndpoint shared(UdpProtocol udp, IpAddress address) throws Exception {
        UdpEndpoint ep = udp.newEndpoint();
        ep.setReuseAddress(true);
        ep.bind(address, PORT);
        return ep;
    }

    @Test
    void withoutSoBroadcastABroadcastIsRefused() throws Exception {
        UdpEndpoint sender = net.udpA.newEndpoint();
        assertEquals("Permission denied", assertThrows(SocketException.class,
                () -> sender.send(payload("x"), DIRECTED, PORT)).getMessage());
        sender.setMulticastNic(net.nicA.id());
        assertThrows(SocketException.class, () -> sender.send(payload("x"), IpAddress.IPV4_BROADCAST, PORT));
    }

    @Test
    void aDirectedBroadcastReachesEveryWildcardSocketOnThePortAndTheSender() throws Exception {
        UdpEndpoint first = shared(net.udpB, IpAddress.IPV4_ANY);
        UdpEndpoint second = shared(net.udpB, IpAddress.IPV4_ANY);
        UdpEndpoint unicastOnly = shared(net.udpB, ADDRESS_B);
        UdpEndpoint senderSide = shared(net.udpA, IpAddress.IPV4_ANY);
        UdpEndpoint sender = net.udpA.newEndpoint();
        sender.setBroadcast(true);
        sender.send(payload("to all"), DIRECTED, PORT);
        net.settle();
        assertEquals(LinkAddress.BROADCAST, destinationsFromA.get(destinationsFromA.size() - 1));
        assertEquals(List.of("to all"), receiveAll(first));
        assertEquals(List.of("to all"), receiveAll(second));
        assertEquals(List.of(), receiveAll(unicastOnly), "bound to a unicast address");
        assertEquals(List.of("to all"), receiveAll(senderSide), "the sending host's copy");
    }

    @Test
    void theLimitedBroadcastLeavesByTheMulticastInterface() throws Exception {
        UdpEndpoint receiver = shared(net.udpB, IpAddress.IPV4_ANY);
        UdpEndpoint sender = net.udpA.newEndpoint();
        sender.setBroadcast(true);
        sender.setMulticastNic(net.nicA.id());
        sender.send(payload("limited"), IpAddress.IPV4_BROADCAST, PORT);
        net.settle();
        assertEquals(LinkAddress.BROADCAST, destinationsFromA.get(destinationsFromA.size() - 1));
        assertEquals(List.of("limited"), receiveAll(receiver));
    }
}
