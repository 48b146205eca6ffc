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

    private List<Pings.Reply> ping(Stack from, IpAddress to, int sequence, byte[] data) throws Exception {
        return Pings.ping(net, from, from.network(Ipv6Protocol.class).icmp(), to, sequence, data);
    }

    @Test
    void aPingsBOverIpv6AfterSolicitingItsLinkAddress() throws Exception {
        byte[] data = "jnetstack ping6".getBytes(StandardCharsets.US_ASCII);
        List<Pings.Reply> replies = ping(net.a, ADDRESS6_B, 1, data);

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
        List<Pings.Reply> replies = ping(net.b, linkLocalA, 2, new byte[] {1, 2, 3});

        assertEquals(1, replies.size());
        assertEquals(linkLocalA, replies.get(0).from());
    }

    @Test
    void aPingLargerThanTheMtuIsFragmentedBySourceAndReassembled() throws Exception {
        byte[] data = new byte[4000];
        Arrays.fill(data, (byte) 0x6a);
        List<Pings.Reply> replies = ping(net.a, ADDRESS6_B, 3, data);

        assertEquals(1, replies.size());
        assertArrayEquals(data, replies.get(0).data());
        assertEquals(3, net.a.stats().get(StackCounter.IPV6_FRAGMENTS_SENT));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLED));
        assertEquals(1, net.a.stats().get(StackCounter.IPV6_REASSEMBLED));
    }
}
