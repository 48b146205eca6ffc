package io.jnetstack.stack;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class StatsMBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void theStacksCountersAreReadableLiveOverJmxUntilItCloses() throws Exception {
        ObjectName name = new ObjectName("io.jnetstack:type=Stats,stack=\"jmx-test\",layer=network");
        try (TwoStacks net = TwoStacks.create()) {
            net.a.registerMBeans("jmx-test");
            assertEquals(0L, SERVER.getAttribute(name, "icmp_echo_replies_received"));

            net.a.network(Ipv4Protocol.class).icmp()
                    .sendEchoRequest(net.a.findRoute(0, null, ADDRESS_B), 1, 1, new byte[8]);
            net.settle();

            assertEquals(1L, SERVER.getAttribute(name, "icmp_echo_replies_received"));
            assertEquals(net.a.stats().get(StackCounter.FRAMES_SENT), SERVER.getAttribute(name, "frames_sent"));
        }
        assertFalse(SERVER.isRegistered(name), "closing the stack unregisters its MBeans");
    }

    @Test
    void tcpPublishesItsOwnCountersBesideTheStacks() throws Exception {
        ObjectName name = new ObjectName("io.jnetstack:type=Stats,stack=\"jmx-tcp\",layer=tcp");
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            net.a.registerMBeans("jmx-tcp");
            TcpEndpoint client = ((TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            client.connect(ADDRESS_B, 9); // nobody listens: refused
            net.settle();

            assertEquals(1L, SERVER.getAttribute(name, "activeOpens"));
            assertEquals(1L, SERVER.getAttribute(name, "resetsReceived"));
        }
    }
}
