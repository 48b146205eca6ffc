package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stack the {@code jnetstack.*} properties describe, on a TAP device whose kernel side is in a
 * test namespace: the kernel's socat talks to a plain DatagramChannel echo, and its nc to the
 * unmodified TcpEcho program's server. Needs root (skips without it, see {@link KernelPeer}).
 */
@Timeout(60)
class TapKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    private AssembledStack configuredStack() throws Exception {
        return ConfiguredTapStack.on(peer);
    }

    @Test
    void kernelNcTalksToTheUnmodifiedTcpEchoServer() throws Exception {
        TapPreconditions.requireCommand("nc", "netcat-openbsd");
        Method serve = ProgramClasses.load("TcpEcho.java").getMethod("serve", ServerSocketChannel.class);
        try (AssembledStack assembled = configuredStack();
             ServerSocketChannel server = new JnetstackSelectorProvider(assembled.stack()).openServerSocketChannel()) {
            server.bind(new InetSocketAddress(7777));
            Background<Object> echo = Background.call(() -> serve.invoke(null, server));
            // -N: half-close after stdin's end, so the server sees end of stream, closes, and nc exits.
            try (NamespaceProcess client = peer.spawn("sh", "-c", "printf 'ping over tcp' | nc -N -w 10 "
                    + KernelPeer.STACK_ADDRESS.getHostAddress() + " 7777")) {
                assertEquals(OptionalInt.of(0), client.awaitExit(TIMEOUT), client::output);
                assertEquals("ping over tcp", client.output());
            }
            echo.thread().interrupt();
            echo.get();
        }
    }

    @Test
    void kernelSocatTalksToADatagramEchoOnTheConfiguredStack() throws Exception {
        TapPreconditions.requireCommand("socat", "socat");
        String stackAddress = KernelPeer.STACK_ADDRESS.getHostAddress();
        try (AssembledStack assembled = configuredStack();
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
