package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {
    private final TwoStacks net = TwoStacks.create();

    @AfterEach
    void close() {
        net.close();
    }

    private List<Pings.Reply> ping(Stack from, IpAddress to, int sequence, byte[] data) throws Exception {
        return Pings.ping(net, from, from.network(Ipv4Protocol.class).icmp(), to, sequence, data);
    }

    @Test
    void aPingsBAndGetsItsDataBack() throws Exception {
        byte[] data = "jnetstack ping".getBytes(StandardCharsets.US_ASCII);
        List<Pings.Reply> replies = ping(net.a, ADDRESS_B, 1, data);

        assertEquals(1, replies.size());
        assertEquals(ADDRESS_B, replies.get(0).from());
        assertEquals(1, replies.get(0).sequence());
        assertArrayEquals(data, replies.get(0).data());
        assertEquals(1, net.b.stats().get(StackCounter.ICMP_ECHO_REPLIES_SENT));
    }

    @Test
    void bPingsAAndGetsItsDataBack() throws Exception {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        List<Pings.Reply> replies = ping(net.b, ADDRESS_A, 7, data);

        assertEquals(1, replies.size());
        assertEquals(ADDRESS_A, replies.get(0).from());
        assertEquals(7, replies.get(0).sequence());
        assertArrayEquals(data, replies.get(0).data());
    }

    @Test
    void aPingLargerThanTheMtuIsFragmentedAndStillAnswered() throws Exception {
        byte[] data = new byte[4000];
        java.util.Arrays.fill(data, (byte) 0x5a);
        List<Pings.Reply> replies = ping(net.a, ADDRESS_B, 3, data);

        assertEquals(1, replies.size());
        assertArrayEquals(data, replies.get(0).data());
        assertEquals(1, net.b.stats().get(StackCounter.IPV4_REASSEMBLED));
    }
}
