package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 60 000-byte UDP datagram crosses a 1500-byte link as 42 IPv6 fragments (1448 bytes of data each
 * after the 40-byte header and the 8-byte fragment header), through a faulty link; overlapping
 * fragments drop the datagram (RFC 5722), and a missing one times out.
 */
class Ipv6FragmentsOverFaultyLinkTest {
    private static final int PORT = 7777;

    private FaultyLink faulty;

    private static byte[] payload() {
        byte[] data = new byte[60_000];
        new Random(43).nextBytes(data);
        return data;
    }

    private static UdpEndpoint receiverOn(TwoStacks net) throws Exception {
        UdpEndpoint receiver = net.udpB.newEndpoint();
        receiver.bind(IpAddress.IPV6_ANY, PORT);
        return receiver;
    }

    @Test
    void reorderedAndDuplicatedFragmentsReassembleIntoTheOriginalDatagram() throws Exception {
        FaultyLink.Faults faults = FaultyLink.Faults.builder().reordering(0.3).duplication(0.2).seed(8).build();
        try (TwoStacks net = TwoStacks.builder().ipv6().wrapA((link, clock) -> faulty = new FaultyLink(link, faults, clock))
                .build()) {
            UdpEndpoint receiver = receiverOn(net);
            byte[] data = payload();

            net.udpA.newEndpoint().send(ByteBuffer.wrap(data), ADDRESS6_B, PORT);
            net.settle();
            // This seed holds back the first solicitation, so B is resolved when it is sent again after
            // a second; the next second releases a fragment then held back for reordering.
            net.advance(Duration.ofSeconds(1));
            net.advance(Duration.ofSeconds(1));

            UdpEndpoint.Datagram d = receiver.receive();
            assertNotNull(d, () -> "the datagram was not reassembled: " + faulty.stats());
            assertArrayEquals(data, d.data());
            assertNull(receiver.receive(), "duplicated fragments must not produce a second datagram");
            assertEquals(42, net.a.stats().get(StackCounter.IPV6_FRAGMENTS_SENT));
            assertTrue(faulty.stats().reordered().frames() > 0, "the seed reordered nothing");
            assertTrue(faulty.stats().duplicated().frames() > 0, "the seed duplicated nothing");
        }
    }

    @Test
    void aDatagramMissingOneFragmentIsDroppedWhenTheReassemblyTimeoutExpires() throws Exception {
        try (TwoStacks net = TwoStacks.builder().ipv6().build()) {
            UdpEndpoint receiver = receiverOn(net);
            UdpEndpoint sender = net.udpA.newEndpoint();
            sender.send(ByteBuffer.wrap(new byte[] {1}), ADDRESS6_B, PORT); // resolves B first
            net.settle();
            receiver.receive();

            int[] frameIndex = {0};
            net.pipe.b().attach(frame -> {
                if (frameIndex[0]++ != 2) {
                    net.nicB.deliverNetworkPacket(frame);
                }
            });
            sender.send(ByteBuffer.wrap(payload()), ADDRESS6_B, PORT);
            net.settle();
            FragmentReassembler reassembler = net.b.network(Ipv6Protocol.class).reassembler();
            assertEquals(1, reassembler.pendingDatagrams());

            net.advance(Duration.ofSeconds(30));

            assertEquals(0, reassembler.pendingDatagrams());
            assertEquals(0, reassembler.heldBytes());
            assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLY_TIMEOUTS));
            assertNull(receiver.receive());
        }
    }

    @Test
    void overlappingFragmentsDropTheWholeDatagram() throws Exception {
        try (TwoStacks net = TwoStacks.builder().ipv6().build()) {
            UdpEndpoint receiver = receiverOn(net);
            // Three fragments of one datagram: the last [24,32), the first [0,16), and [8,24) overlapping it.
            injectFragment(net, 24, false, 8);
            injectFragment(net, 0, true, 16);
            injectFragment(net, 8, true, 16);

            assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLY_OVERLAPS));
            assertEquals(0, net.b.stats().get(StackCounter.IPV6_REASSEMBLED));
            assertEquals(0, net.b.network(Ipv6Protocol.class).reassembler().pendingDatagrams());
            assertNull(receiver.receive());
        }
    }

    private static void injectFragment(TwoStacks net, int offset, boolean more, int length) {
        byte[] payload = new byte[8 + length];
        payload[0] = (byte) Ipv6Header.NEXT_UDP;
        payload[2] = (byte) (offset >>> 8);
        payload[3] = (byte) (offset | (more ? 1 : 0));
        payload[7] = 99; // identification
        net.nicB.deliverNetworkPacket(Ipv6Frames.frame(net.pipe.b().linkAddress(), ADDRESS6_A, ADDRESS6_B,
                Ipv6Header.NEXT_FRAGMENT, 64, payload));
        net.settle();
    }
}
