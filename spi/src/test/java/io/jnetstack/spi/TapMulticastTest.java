package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IPv4 multicast between jnetstack on a TAP device and the kernel behind it, in a test namespace:
 * the kernel's socat sends to a group a jnetstack channel joined, and receives what a jnetstack
 * channel sends to a group it joined. The frames carry the groups' Ethernet addresses (RFC 1112
 * §6.4). Needs root (skips without it, see {@link KernelPeer}).
 */
@Timeout(60)
class TapMulticastTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String GROUP = "239.255.77.8";
    private static final int PORT = 9998;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    private AssembledStack configuredStack() throws Exception {
        return ConfiguredTapStack.on(peer);
    }

    /** A host interface that is none of the stack's: the group's route, the TAP NIC's default route, decides. */
    private static NetworkInterface anyNonLoopbackInterface() throws Exception {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new AssertionError("the host has a non-loopback interface"));
    }

    @Test
    void aJnetstackMemberReceivesTheKernelsMulticast() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        try (AssembledStack assembled = configuredStack();
             DatagramChannel member = new JnetstackSelectorProvider(assembled.stack()).openDatagramChannel()) {
            member.bind(new InetSocketAddress(PORT));
            member.join(InetAddress.getByName(GROUP), anyNonLoopbackInterface());
            try (NamespaceProcess sender = peer.spawn("sh", "-c", "printf 'kernel to group' | socat -u - UDP4-DATAGRAM:"
                    + GROUP + ":" + PORT + ",ip-multicast-if=" + KernelPeer.KERNEL_ADDRESS.getHostAddress())) {
                ByteBuffer received = ByteBuffer.allocate(100);
                InetSocketAddress from = (InetSocketAddress) member.receive(received);
                assertEquals(KernelPeer.KERNEL_ADDRESS, from.getAddress());
                assertEquals("kernel to group", StandardCharsets.UTF_8.decode(received.flip()).toString());
                assertEquals(OptionalInt.of(0), sender.awaitExit(TIMEOUT), sender::output);
            }
        }
    }

    @Test
    void theKernelReceivesWhatJnetstackSendsToAGroup() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        try (AssembledStack assembled = configuredStack();
             DatagramChannel sender = new JnetstackSelectorProvider(assembled.stack()).openDatagramChannel();
             NamespaceProcess receiver = peer.spawn("socat", "-u", "UDP4-RECVFROM:" + PORT + ",ip-add-membership="
                     + GROUP + ":" + KernelPeer.KERNEL_ADDRESS.getHostAddress() + ",reuseaddr", "-")) {
            // socat joins as it starts; send until it has (each copy it did not take is simply lost).
            ByteBuffer hello = ByteBuffer.wrap("jnetstack to group".getBytes(StandardCharsets.UTF_8));
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, anyNonLoopbackInterface());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            OptionalInt exit = OptionalInt.empty();
            while (exit.isEmpty() && System.nanoTime() < deadline) {
                sender.send(hello.duplicate(), new InetSocketAddress(GROUP, PORT));
                exit = receiver.awaitExit(Duration.ofMillis(200));
            }
            assertEquals(OptionalInt.of(0), exit, receiver::output);
            assertTrue(receiver.output().contains("jnetstack to group"), receiver.output());
        }
    }
}
