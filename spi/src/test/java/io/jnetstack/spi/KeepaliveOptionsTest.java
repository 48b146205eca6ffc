package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/**
 * TCP_KEEPIDLE, TCP_KEEPINTERVAL and TCP_KEEPCOUNT set through the channel time the stack's
 * keep-alive probes: on a manual clock, a peer that stops answering is given up exactly after
 * idle + count × interval (TcpIdleTimersTest has the probes themselves).
 */
class KeepaliveOptionsTest {
    @Test
    void theChannelsKeepaliveTimingDecidesWhenASilentPeerIsGivenUp() throws Exception {
        try (TwoStacks stacks = TwoStacks.builder().transport(TcpProtocol::new).build();
                ServerSocketChannel server = new JnetstackSelectorProvider(stacks.b).openServerSocketChannel();
                SocketChannel client = new JnetstackSelectorProvider(stacks.a).openSocketChannel()) {
            server.configureBlocking(false);
            server.bind(new InetSocketAddress(TwoStacks.ADDRESS_B.toInetAddress(), 0));
            client.configureBlocking(false);
            client.connect(server.getLocalAddress());
            stacks.settle();
            assertTrue(client.finishConnect(), "connected");
            try (SocketChannel accepted = server.accept()) {
                client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                client.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 10);
                client.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 2);
                client.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
                TcpEndpoint endpoint = ((JnetstackSocketChannel) client).endpoint();
                assertEquals(Duration.ofSeconds(10), endpoint.keepaliveIdle());
                assertEquals(Duration.ofSeconds(2), endpoint.keepaliveInterval());
                assertEquals(3, endpoint.keepaliveCount());
                stacks.settle();
                // From here nothing is delivered: the wire is never settled again, so no probe is answered.
                stacks.clock.advance(Duration.ofSeconds(10 + 3 * 2).minusMillis(1));
                assertEquals(0, client.read(ByteBuffer.allocate(1)), "still connected just before the last probe's interval ends");
                stacks.clock.advance(Duration.ofMillis(1));
                IOException timedOut = assertThrows(IOException.class, () -> client.read(ByteBuffer.allocate(1)));
                assertEquals("Connection timed out", timedOut.getMessage());
            }
        }
    }
}
