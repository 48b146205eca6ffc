package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Datagrams the reassembler gives up on are counted where an operator looks: the stack's counters
 * and so its JMX MBean, not only the reassembler's own figures.
 */
class Ipv4ReassemblyStatsTest {
    private static final int PORT = 7777;
    /** 60 000 bytes over a 1500-byte link: 41 fragments, about 90 KB held at true cost. */
    private static final int DATAGRAM = 60_000;
    private static final int FRAGMENTS = 41;
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    /** Sends {@code datagrams} large datagrams from A to B, each losing its last fragment on the way. */
    private static void sendEachWithoutItsLastFragment(TwoStacks net, int datagrams) throws Exception {
        UdpEndpoint sender = net.udpA.newEndpoint();
        sender.send(ByteBuffer.wrap(new byte[] {1}), ADDRESS_B, PORT); // ARP first: only fragments follow
        net.settle();
        int[] frameIndex = {0};
        net.pipe.b().attach(frame -> {
            if (frameIndex[0]++ % FRAGMENTS != FRAGMENTS - 1) {
                net.nicB.deliverNetworkPacket(frame);
            }
        });
        for (int i = 0; i < datagrams; i++) {
            sender.send(ByteBuffer.wrap(new byte[DATAGRAM]), ADDRESS_B, PORT);
            net.settle();
        }
    }

    @Test
    void aDatagramThatTimesOutIsCountedInTheStacksCountersAndOverJmx() throws Exception {
        try (TwoStacks net = TwoStacks.create()) {
            net.b.registerMBeans("reassembly-timeouts");
            net.udpB.newEndpoint().bind(IpAddress.IPV4_ANY, PORT);
            sendEachWithoutItsLastFragment(net, 1);
            assertEquals(0, net.b.stats().get(StackCounter.IPV4_REASSEMBLY_TIMEOUTS));

            net.advance(Duration.ofNanos(Ipv4Reassembler.DEFAULT_TIMEOUT_NANOS));

            assertEquals(1, net.b.stats().get(StackCounter.IPV4_REASSEMBLY_TIMEOUTS));
            assertEquals(1L, SERVER.getAttribute(networkMBean("reassembly-timeouts"), "ipv4_reassembly_timeouts"));
            assertEquals(FRAGMENTS - 1, net.b.stats().get(StackCounter.IPV4_FRAGMENTS_RECEIVED));
        }
    }

    @Test
    void datagramsEvictedForMemoryAreCountedInTheStacksCountersAndOverJmx() throws Exception {
        int limit = 128 << 10; // room for one incomplete datagram, not two
        try (TwoStacks net = TwoStacks.builder()
                .stackOptions(sb -> sb.network(new Ipv4Protocol(TimeUnit.SECONDS.toNanos(30), limit))).build()) {
            net.b.registerMBeans("reassembly-evictions");
            net.udpB.newEndpoint().bind(IpAddress.IPV4_ANY, PORT);

            sendEachWithoutItsLastFragment(net, 3);

            long evicted = net.b.network(Ipv4Protocol.class).reassembler().counters().memoryEvicted();
            assertEquals(2, evicted, "each datagram after the first evicts the one before it");
            assertEquals(evicted, net.b.stats().get(StackCounter.IPV4_REASSEMBLY_EVICTIONS));
            assertEquals(evicted, SERVER.getAttribute(networkMBean("reassembly-evictions"), "ipv4_reassembly_evictions"));
        }
    }

    private static ObjectName networkMBean(String stack) throws Exception {
        return new ObjectName("io.jnetstack:type=Stats,stack=\"" + stack + "\",layer=network");
    }
}
