package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.Icmpv6Protocol;
import io.jnetstack.network.Ipv6Protocol;
import io.jnetstack.network.NeighborDiscovery;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IPv6 on a TAP device with the Linux kernel as its peer: Neighbor Discovery both ways, ping6 both
 * ways (to our global and our EUI-64 link-local address), and TCP over IPv6 with the kernel's nc
 * as client and as server.
 */
class Ipv6KernelInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Unique local addresses (RFC 4193) that exist only in the test's namespace. */
    private static final IpAddress KERNEL = IpAddress.parse("fd00:5e::1");
    private static final IpAddress STACK = IpAddress.parse("fd00:5e::2");
    private static final int PREFIX = 64;
    private static final int PORT = 8086;
    private static final int ECHO_IDENTIFIER = 0x6a6e;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    private final TcpProtocol tcp = new TcpProtocol();
    private Stack stack;
    private Nic nic;

    @BeforeEach
    void startStack() {
        // nodad: the kernel's address is usable at once instead of after its own detection.
        CommandResult added = peer.exec(TIMEOUT, "ip", "-6", "addr", "add", KERNEL + "/" + PREFIX, "dev", peer.deviceName(),
                "nodad");
        assertTrue(added.succeeded(), added::describe);
        stack = Stack.builder().network(NetworkProtocols.ipv4AndIpv6()).transport(new UdpProtocol()).transport(tcp).build();
        nic = stack.createNic("tap", peer.link());
        nic.addAddress(new IpSubnet(STACK, PREFIX));
    }

    @AfterEach
    void stopStack() {
        stack.close();
    }

    @Test
    void kernelPing6GetsRepliesAndLearnsOurMacByNeighborDiscovery() {
        TapPreconditions.requireCommand("ping", "iputils-ping");
        CommandResult ping = peer.exec(TIMEOUT, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", STACK.toString());
        assertTrue(ping.succeeded() && ping.output().contains("3 received"), ping::describe);
        CommandResult neighbour = peer.exec(TIMEOUT, "ip", "-6", "neigh", "show", STACK.toString(), "dev", peer.deviceName());
        assertTrue(neighbour.output().contains("lladdr " + peer.link().linkAddress()), neighbour::describe);
    }

    @Test
    void kernelPing6ReachesOurLinkLocalAddress() {
        TapPreconditions.requireCommand("ping", "iputils-ping");
        IpAddress linkLocal = NeighborDiscovery.linkLocalFor(peer.link().linkAddress()).address();
        CommandResult ping = peer.exec(TIMEOUT, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2",
                linkLocal + "%" + peer.deviceName());
        assertTrue(ping.succeeded() && ping.output().contains("2 received"), ping::describe);
    }

    @Test
    void ourEchoRequestGetsTheKernelsReply() throws Exception {
        byte[] data = "ping6 from jnetstack".getBytes(StandardCharsets.US_ASCII);
        CountDownLatch replied = new CountDownLatch(1);
        byte[][] echoed = new byte[1][];
        Icmpv6Protocol icmp = stack.network(Ipv6Protocol.class).icmp();
        icmp.registerEchoListener(ECHO_IDENTIFIER, (from, sequence, payload, hopLimit) -> {
            if (from.equals(KERNEL) && sequence == 1) {
                echoed[0] = payload;
                replied.countDown();
            }
        });
        icmp.sendEchoRequest(stack.findRoute(nic.id(), null, KERNEL), ECHO_IDENTIFIER, 1, data);

        assertTrue(replied.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "no echo reply from the kernel");
        assertArrayEquals(data, echoed[0]);
    }

    @Test
    void kernelNcSendsToAJnetstackListenerOverIpv6AndGetsTheAnswer() throws Exception {
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        TcpEndpoint listener = tcp.newEndpoint();
        listener.bind(IpAddress.IPV6_ANY, PORT);
        listener.listen(4);
        try (NamespaceProcess client = peer.spawn("sh", "-c", "printf 'hello over ipv6' | nc -6 -w 10 " + STACK + " " + PORT)) {
            TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
            assertEquals(KERNEL, connection.remoteAddress());
            byte[] request = BlockingTcp.readThrough(connection, "ipv6".getBytes(StandardCharsets.US_ASCII), 1024, TIMEOUT);
            assertEquals("hello over ipv6", new String(request, StandardCharsets.US_ASCII));
            BlockingTcp.writeAll(connection, "answer over ipv6".getBytes(StandardCharsets.US_ASCII), TIMEOUT);
            connection.shutdownOutput();
            assertEquals(OptionalInt.of(0), client.awaitExit(TIMEOUT), client::output);
            assertEquals("answer over ipv6", client.output());
        }
    }

    @Test
    void aJnetstackClientTalksToTheKernelsNcOverIpv6() throws Exception {
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        try (NamespaceProcess server = peer.spawn("sh", "-c", "printf 'from the kernel' | nc -6 -l " + KERNEL + " " + PORT)) {
            TcpEndpoint connection = BlockingTcp.connectOnceListening(tcp, KERNEL, PORT, TIMEOUT);
            assertEquals(STACK, connection.localAddress());
            BlockingTcp.writeAll(connection, "from jnetstack".getBytes(StandardCharsets.US_ASCII), TIMEOUT);
            connection.shutdownOutput();
            byte[] answer = BlockingTcp.readToEnd(connection, 1024, TIMEOUT);
            assertEquals("from the kernel", new String(answer, StandardCharsets.US_ASCII));
            assertEquals(OptionalInt.of(0), server.awaitExit(TIMEOUT), server::output);
            assertEquals("from jnetstack", server.output());
        }
    }
}
