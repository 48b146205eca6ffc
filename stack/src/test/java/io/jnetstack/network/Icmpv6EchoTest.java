package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ping6 between two dual-stack stacks on a PipeLink: neighbour discovery first, then echo. */
class Icmpv6EchoTest {
    private final TwoStacks net = TwoStacks.builder().ipv6().build();

    @AfterEach
    void close() {
        net.close();
    }

    private record Reply(IpAddress from, int sequence, byte[] data) {
    }

    private List<Reply> ping(Stack from, IpAddress to, int sequence, byte[] data) throws Exception {
        List<Reply> replies = new ArrayList<>();
        Icmpv6Protocol icmp = from.network(Ipv6Protocol.class).icmp();
        icmp.registerEchoListener(0x4a4e, (src, seq, payload, hopLimit) -> replies.add(new Reply(src, seq, payload)));
        icmp.sendEchoRequest(from.findRoute(0, null, to), 0x4a4e, sequence, data);
        net.settle();
        return replies;
    }

    @Test
    void aPingsBOverIpv6AfterSolicitingItsLinkAddress() throws Exception {
        byte[] data = "jnetstack ping6".getBytes(StandardCharsets.US_ASCII);
        List<Reply> replies = ping(net.a, ADDRESS6_B, 1, data);

        assertEquals(1, replies.size());
        assertEquals(ADDRESS6_B, replies.get(0).from());
        assertEquals(1, replies.get(0).sequence());
        assertArrayEquals(data, replies.get(0).data());
        assertEquals(1, net.a.stats().get(StackCounter.NDP_SOLICITATIONS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.ICMPV6_ECHO_REPLIES_SENT));
    }

    @Test
    void bPingsAsLinkLocalAddressMadeFromItsMac() throws Exception {
        IpAddress linkLocalA = NeighborDiscovery.linkLocalFor(net.nicA.link().linkAddress()).address();
        List<Reply> replies = ping(net.b, linkLocalA, 2, new byte[] {1, 2, 3});

        assertEquals(1, replies.size());
        assertEquals(linkLocalA, replies.get(0).from());
    }

    @Test
    void aPingLargerThanTheMtuIsFragmentedBySourceAndReassembled() throws Exception {
        byte[] data = new byte[4000];
        Arrays.fill(data, (byte) 0x6a);
        List<Reply> replies = ping(net.a, ADDRESS6_B, 3, data);

        assertEquals(1, replies.size());
        assertArrayEquals(data, replies.get(0).data());
        assertEquals(3, net.a.stats().get(StackCounter.IPV6_FRAGMENTS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLED));
        assertEquals(1, net.a.stats().get(StackCounter.IPV6_REASSEMBLED));
    }
}
