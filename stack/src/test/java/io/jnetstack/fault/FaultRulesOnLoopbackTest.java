package io.jnetstack.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Rules on a stack's loopback NIC, where every frame is both sent and received by the one stack; and their MBean. */
class FaultRulesOnLoopbackTest {
    private static final int PORT = 7000;
    private final ManualClock clock = new ManualClock();
    private final ManualExecutor wire = new ManualExecutor();
    private final TcpProtocol tcp = new TcpProtocol();

    private Stack loopbackStack() {
        Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).processorExecutor(Runnable::run)
                .transport(tcp).build();
        stack.createNic("lo", new LoopbackLink(LoopbackLink.DEFAULT_MTU, wire)).addAddress(IpSubnet.parse("127.0.0.1/8"));
        return stack;
    }

    /** Connects to a listener on the loopback; returns when established, at the clock's time then. */
    private long connect(TcpEndpoint client, TcpEndpoint listener) throws IOException {
        listener.bind(IpAddress.IPV4_LOOPBACK, PORT);
        listener.listen(1);
        client.connect(IpAddress.IPV4_LOOPBACK, PORT);
        for (int ms = 0; ms < 10_000 && client.state() != TcpState.ESTABLISHED; ms++) {
            wire.runPending();
            if (client.state() != TcpState.ESTABLISHED) {
                clock.advance(Duration.ofMillis(1));
            }
        }
        return clock.nanoTime();
    }

    @Test
    void aLoopbackFrameIsDelayedOnceNotOnceOutAndOnceIn() throws IOException {
        try (Stack stack = loopbackStack()) {
            stack.faults().add("tcp:port=" + PORT + ":latency=50ms");
            long established = connect(tcp.newEndpoint(), tcp.newEndpoint());
            assertEquals(100_000_000L, established, "SYN and SYN-ACK wait 50 ms each");
        }
    }

    @Test
    void aDirectionSelectsPacketsByWhichEndOfTheLoopbackSendsThem() throws IOException {
        try (Stack stack = loopbackStack()) {
            // In, towards local port 7000: the SYN; the SYN-ACK comes from 7000 and is not delayed.
            stack.faults().add("dir=in:lport=" + PORT + ":latency=30ms");
            long established = connect(tcp.newEndpoint(), tcp.newEndpoint());
            assertEquals(30_000_000L, established);
        }
    }

    @Test
    void theFaultsMBeanListsAddsAndClearsRules() throws Exception {
        try (Stack stack = loopbackStack()) {
            stack.registerMBeans("fault-mbean-test");
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.jnetstack:type=Faults,stack=" + ObjectName.quote("fault-mbean-test"));
            server.invoke(name, "add", new Object[] {"tcp:port=" + PORT + ":blackhole"}, new String[] {String.class.getName()});
            assertEquals("tcp:port=" + PORT + ":blackhole", stack.faults().list().get(0).text());
            TcpEndpoint client = tcp.newEndpoint();
            connect(client, tcp.newEndpoint());
            assertEquals(TcpState.SYN_SENT, client.state(), "the SYNs vanish");
            String[] rules = (String[]) server.getAttribute(name, "Rules");
            assertTrue(rules[0].startsWith("tcp:port=" + PORT + ":blackhole (hits "), rules[0]);
            assertTrue(stack.faults().hits(stack.faults().list().get(0)) >= 2);
            server.invoke(name, "clear", new Object[0], new String[0]);
            assertTrue(stack.faults().isEmpty());
        }
    }

    @Test
    void eachHitIsAJfrEventNamingTheRuleActionAndNic() throws Exception {
        Path file = Files.createTempFile("fault-hits", ".jfr");
        try (Stack stack = loopbackStack(); Recording recording = new Recording()) {
            recording.enable("jnetstack.FaultRuleHit");
            recording.start();
            stack.faults().add("tcp:port=" + PORT + ":blackhole");
            connect(tcp.newEndpoint(), tcp.newEndpoint());
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> hits = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jnetstack.FaultRuleHit")).toList();
            assertEquals(stack.faults().hits(stack.faults().list().get(0)), hits.size(), "one event per hit");
            RecordedEvent first = hits.get(0);
            assertEquals("tcp:port=" + PORT + ":blackhole", first.getString("rule"));
            assertEquals("blackhole", first.getString("action"));
            assertEquals("lo", first.getString("nic"));
            assertTrue(first.getInt("bytes") >= 40, "an IPv4 SYN: " + first.getInt("bytes"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
