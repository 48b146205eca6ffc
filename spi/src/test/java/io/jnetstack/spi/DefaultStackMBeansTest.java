package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.stack.ConnectionsMBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The default stack an unmodified program gets publishes its counters and connections over JMX by itself. */
class DefaultStackMBeansTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final String PID = String.valueOf(ProcessHandle.current().pid());

    private static Set<ObjectName> named(String pattern) throws Exception {
        return SERVER.queryNames(new ObjectName(pattern), null);
    }

    @Test
    void aProgramsDefaultStackShowsItsCountersAndConnectionsOverThePlatformServer() throws Exception {
        JnetstackSelectorProvider provider = new JnetstackSelectorProvider(); // as the JDK makes it: the default stack
        try (ServerSocketChannel server = provider.openServerSocketChannel();
             SocketChannel client = provider.openSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                ObjectName connections = named("io.jnetstack:type=Connections,*").stream()
                        .filter(n -> n.getKeyProperty("stack").startsWith("\"default-" + PID + "-"))
                        .findFirst().orElseThrow(() -> new AssertionError("no default stack's Connections MBean"));
                String stack = connections.getKeyProperty("stack");
                assertEquals(Set.of("network", "tcp"), Set.copyOf(named("io.jnetstack:type=Stats,stack=" + stack + ",*")
                        .stream().map(n -> n.getKeyProperty("layer")).toList()));
                ObjectName tcp = new ObjectName("io.jnetstack:type=Stats,stack=" + stack + ",layer=tcp");
                assertTrue((Long) SERVER.getAttribute(tcp, "activeOpens") >= 1, "the connect counted");

                int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
                CompositeData row = Arrays.stream((CompositeData[]) SERVER.getAttribute(connections, ConnectionsMBean.ATTRIBUTE))
                        .filter(c -> c.get("localPort").equals(clientPort)).findFirst()
                        .orElseThrow(() -> new AssertionError("the client's connection is listed"));
                assertEquals("ESTABLISHED", row.get("state"));
                assertEquals(((InetSocketAddress) server.getLocalAddress()).getPort(), row.get("remotePort"));
                assertEquals(JnetstackSocketChannel.class.getName(), row.get("owner"));
            }
        }
    }

    @Test
    void stacksOfOneJvmGetNamesApartAndCloseUnregistersThem() throws Exception {
        try (AssembledStack first = AssembledStack.build(JnetstackConfig.parse(Map.<String, String>of()::get));
             AssembledStack second = AssembledStack.build(JnetstackConfig.parse(Map.<String, String>of()::get))) {
            String one = first.registerMBeans("apart");
            String two = second.registerMBeans("apart");
            assertTrue(one.startsWith("apart-" + PID + "-"), one);
            assertNotEquals(one, two);
            for (String name : List.of(one, two)) {
                assertEquals(4, named("io.jnetstack:stack=" + ObjectName.quote(name) + ",*").size(),
                        "network and tcp counters, connections, faults");
            }
            first.close();
            assertTrue(named("io.jnetstack:stack=" + ObjectName.quote(one) + ",*").isEmpty(), "closing unregisters");
            assertFalse(named("io.jnetstack:stack=" + ObjectName.quote(two) + ",*").isEmpty(), "only its own");
        }
    }
}
