package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.stack.LinkAddressCache;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArpResolutionTest {
    private final TwoStacks net = TwoStacks.create();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void firstPacketToANeighbourIsHeldUntilArpResolvesItsAddress() throws Exception {
        UdpEndpoint receiver = net.udpB.newEndpoint();
        receiver.bind(ADDRESS_B, 7000);
        UdpEndpoint sender = net.udpA.newEndpoint();

        sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), ADDRESS_B, 7000);
        assertEquals(LinkAddressCache.State.INCOMPLETE, net.nicA.neighbors().state(ADDRESS_B));
        assertNull(receiver.receive(), "nothing can arrive before the request is answered");

        net.settle();

        assertEquals(net.pipe.b().linkAddress(), net.nicA.neighbors().lookup(ADDRESS_B));
        assertNotNull(receiver.receive(), "the held datagram is sent once the address is known");
        assertEquals(1, net.a.stats().get(StackCounter.ARP_REQUESTS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.ARP_REPLIES_SENT));
    }

    @Test
    void theTargetOfARequestLearnsTheSenderSoItsReplyNeedsNoRequestOfItsOwn() throws Exception {
        UdpEndpoint receiver = net.udpB.newEndpoint();
        receiver.bind(ADDRESS_B, 7000);
        net.udpA.newEndpoint().send(ByteBuffer.wrap(new byte[] {9}), ADDRESS_B, 7000);
        net.settle();

        assertEquals(net.pipe.a().linkAddress(), net.nicB.neighbors().lookup(ADDRESS_A));
        assertEquals(0, net.b.stats().get(StackCounter.ARP_REQUESTS_SENT));
    }

    @Test
    void anUnansweredNeighbourFailsAfterTheRetriesAndItsPacketsAreDropped() throws Exception {
        var ghost = io.jnetstack.address.IpAddress.parse("10.0.0.99");
        net.udpA.newEndpoint().send(ByteBuffer.wrap(new byte[] {1}), ghost, 9);
        net.settle();
        for (int i = 0; i < 5; i++) {
            net.advance(Duration.ofSeconds(1));
        }

        assertEquals(LinkAddressCache.State.FAILED, net.nicA.neighbors().state(ghost));
        assertEquals(LinkAddressCache.Config.DEFAULT.maxRequests(), net.a.stats().get(StackCounter.ARP_REQUESTS_SENT));
    }
}
