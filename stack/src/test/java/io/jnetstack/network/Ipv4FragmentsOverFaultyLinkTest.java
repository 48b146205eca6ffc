package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A 60 000-byte UDP datagram crosses a 1500-byte link as 41 fragments, through a faulty link. */
class Ipv4FragmentsOverFaultyLinkTest {
    private static final int PORT = 7777;

    private FaultyLink faulty;

    private TwoStacks net(FaultyLink.Faults faults) {
        return TwoStacks.builder().wrapA((link, clock) -> faulty = new FaultyLink(link, faults, clock)).build();
    }

    private static byte[] payload() {
        byte[] data = new byte[60_000];
        new Random(42).nextBytes(data);
        return data;
    }

    @Test
    void reorderedAndDuplicatedFragmentsReassembleIntoTheOriginalDatagram() throws Exception {
        try (TwoStacks net = net(FaultyLink.Faults.builder().reordering(0.3).duplication(0.2).seed(7).build())) {
            UdpEndpoint receiver = net.udpB.newEndpoint();
            receiver.bind(IpAddress.IPV4_ANY, PORT);
            byte[] data = payload();

            net.udpA.newEndpoint().send(ByteBuffer.wrap(data), ADDRESS_B, PORT);
            net.settle();
            net.advance(Duration.ofSeconds(1)); // releases any fragment still held back for reordering

            UdpEndpoint.Datagram d = receiver.receive();
            assertNotNull(d, "the datagram was not reassembled");
            assertArrayEquals(data, d.data());
            assertNull(receiver.receive(), "duplicated fragments must not produce a second datagram");
            assertEquals(41, net.a.stats().get(StackCounter.IPV4_FRAGMENTS_SENT));
            assertTrue(faulty.stats().reordered().frames() > 0, "the seed reordered nothing");
            assertTrue(faulty.stats().duplicated().frames() > 0, "the seed duplicated nothing");
        }
    }

    @Test
    void aDatagramMissingOneFragmentIsDroppedWhenTheReassemblyTimeoutExpires() throws Exception {
        // Resolve ARP first, so the only frames the lossy link sees are the fragments.
        try (TwoStacks net = TwoStacks.create()) {
            UdpEndpoint receiver = net.udpB.newEndpoint();
            receiver.bind(IpAddress.IPV4_ANY, PORT);
            UdpEndpoint sender = net.udpA.newEndpoint();
            sender.send(ByteBuffer.wrap(new byte[] {1}), ADDRESS_B, PORT);
            net.settle();
            receiver.receive();

            // Drop exactly the third fragment by taking B's link down for that one frame.
            int[] frameIndex = {0};
            net.pipe.b().attach(frame -> {
                if (frameIndex[0]++ != 2) {
                    net.nicB.deliverNetworkPacket(frame);
                }
            });
            sender.send(ByteBuffer.wrap(payload()), ADDRESS_B, PORT);
            net.settle();

            assertNull(receiver.receive());
            Ipv4Reassembler reassembler = net.b.network(Ipv4Protocol.class).reassembler();
            assertEquals(1, reassembler.pendingDatagrams());

            net.advance(Duration.ofSeconds(29));
            assertEquals(1, reassembler.pendingDatagrams(), "dropped before the 30 s timeout");
            net.advance(Duration.ofSeconds(1));

            assertEquals(0, reassembler.pendingDatagrams());
            assertEquals(0, reassembler.heldBytes());
            assertEquals(1, reassembler.counters().timedOut());
            assertNull(receiver.receive());
        }
    }
}
