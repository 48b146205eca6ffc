package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.Icmpv4Protocol;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import io.jnetstack.transport.udp.UdpEndpoint;
import io.jnetstack.transport.udp.UdpProtocol;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole stack (NIC, ARP, IPv4, ICMP, UDP) on a TAP device, with the Linux kernel as its peer. */
class StackKernelInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final IpAddress KERNEL = IpAddress.of(KernelPeer.KERNEL_ADDRESS);
    private static final IpAddress STACK = IpAddress.of(KernelPeer.STACK_ADDRESS);
    private static final int ECHO_IDENTIFIER = 0x4a4e;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    private final UdpProtocol udp = new UdpProtocol();
    private Stack stack;
    private Nic nic;

    @BeforeEach
    void startStack() {
        stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(udp).build();
        nic = stack.createNic("tap", peer.link());
        nic.addAddress(new IpSubnet(STACK, KernelPeer.PREFIX_LENGTH));
    }

    @AfterEach
    void stopStack() {
        stack.close();
    }

    @Test
    void kernelPingGetsRepliesAndLearnsOurMac() {
        TapPreconditions.requireCommand("ping", "iputils-ping");
        CommandResult ping = peer.exec(TIMEOUT, "ping", "-c", "3", "-i", "0.2", "-W", "2", STACK.toString());
        assertTrue(ping.succeeded() && ping.output().contains("3 received"), ping::describe);
        String neighbour = peer.kernelNeighbour(KernelPeer.STACK_ADDRESS);
        assertTrue(neighbour.contains("lladdr " + peer.link().linkAddress()), "kernel neighbour entry: " + neighbour);
    }

    @Test
    void ourEchoRequestGetsTheKernelsReply() throws Exception {
        byte[] data = "ping from jnetstack".getBytes(StandardCharsets.US_ASCII);
        CountDownLatch replied = new CountDownLatch(1);
        byte[][] echoed = new byte[1][];
        Icmpv4Protocol icmp = stack.network(Ipv4Protocol.class).icmp();
        icmp.registerEchoListener(ECHO_IDENTIFIER, (from, sequence, payload, ttl) -> {
            if (from.equals(KERNEL) && sequence == 1) {
                echoed[0] = payload;
                replied.countDown();
            }
        });
        icmp.sendEchoRequest(stack.findRoute(nic.id(), null, KERNEL), ECHO_IDENTIFIER, 1, data);

        assertTrue(replied.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "no echo reply from the kernel");
        assertArrayEquals(data, echoed[0]);
        String neighbour = peer.kernelNeighbour(KernelPeer.STACK_ADDRESS);
        assertTrue(neighbour.contains("lladdr " + peer.link().linkAddress()),
                "the kernel learned our MAC from our ARP request: " + neighbour);
    }

    @Test
    void udpDatagramsFlowBothWaysWithSocat() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        UdpEndpoint endpoint = udp.newEndpoint();
        endpoint.bind(IpAddress.IPV4_ANY, 9999);
        CountDownLatch readable = new CountDownLatch(1);
        endpoint.waiterQueue().register(new WaiterEntry(Events.IN, events -> readable.countDown()));

        // socat sends its stdin, then waits (-t) for the answer on the same, connected socket.
        try (NamespaceProcess client = peer.spawn("sh", "-c",
                "printf 'ping over udp' | socat -t 5 - UDP4:" + STACK + ":9999,sourceport=40000")) {
            assertTrue(readable.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "no datagram from the kernel");
            UdpEndpoint.Datagram request = endpoint.receive();
            assertNotNull(request);
            assertEquals("ping over udp", new String(request.data(), StandardCharsets.US_ASCII));
            assertEquals(KERNEL, request.sourceAddress());
            assertEquals(40000, request.sourcePort());

            endpoint.send(ByteBuffer.wrap("pong over udp".getBytes(StandardCharsets.US_ASCII)),
                    request.sourceAddress(), request.sourcePort());

            OptionalInt exit = client.awaitExit(TIMEOUT);
            assertEquals(OptionalInt.of(0), exit, client::output);
            assertEquals("pong over udp", client.output());
        } finally {
            endpoint.close();
        }
    }
}
