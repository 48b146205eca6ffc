package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stack the {@code jnetstack.*} properties describe, on a TAP device whose kernel side is in a
 * test namespace: the kernel's socat talks to a plain DatagramChannel echo. Needs root (skips
 * without it, see {@link KernelPeer}).
 */
@Timeout(60)
class TapKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @Test
    void kernelSocatTalksToADatagramEchoOnTheConfiguredStack() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        String stackAddress = KernelPeer.STACK_ADDRESS.getHostAddress();
        JnetstackConfig config = JnetstackConfig.parse(Map.of("jnetstack.tap", peer.deviceName(),
                "jnetstack.ipv4", stackAddress + "/" + KernelPeer.PREFIX_LENGTH,
                "jnetstack.gateway", KernelPeer.KERNEL_ADDRESS.getHostAddress())::get);
        // The peer already opened the device (and moved its name into the namespace): hand that link over.
        try (AssembledStack assembled = AssembledStack.build(config, tapConfig -> peer.link());
             DatagramChannel echo = new JnetstackSelectorProvider(assembled.stack()).openDatagramChannel()) {
            echo.bind(new InetSocketAddress(9999));
            try (NamespaceProcess client = peer.spawn("sh", "-c",
                    "printf 'ping over udp' | socat -t 5 - UDP4:" + stackAddress + ":9999,sourceport=40000")) {
                ByteBuffer request = ByteBuffer.allocate(100);
                SocketAddress from = echo.receive(request);
                assertEquals(new InetSocketAddress(KernelPeer.KERNEL_ADDRESS, 40000), from);
                echo.send(request.flip(), from);
                assertEquals(OptionalInt.of(0), client.awaitExit(TIMEOUT), client::output);
                assertEquals("ping over udp", client.output());
            }
        }
    }
}
