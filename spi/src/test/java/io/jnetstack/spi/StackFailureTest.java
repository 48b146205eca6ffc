package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a thread blocked on a channel sees when the stack under the channel goes away: the link of
 * its NIC fails for good (a TAP device deleted), or the whole stack closes. It wakes with an
 * {@code IOException} saying why, never waits forever, and never takes it for an end of stream.
 */
@Timeout(30)
class StackFailureTest {
    private final Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(new UdpProtocol())
            .transport(new TcpProtocol()).build();
    private final JnetstackSelectorProvider provider = new JnetstackSelectorProvider(stack);
    private final Nic tap;

    StackFailureTest() {
        stack.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
        tap = stack.createNic("tap9", PipeLink.pair(1500).a());
        tap.addAddress(IpSubnet.parse("10.0.0.1/24"));
    }

    @AfterEach
    void closeStack() {
        stack.close();
    }

    @Test
    void aReceiveBlockedOnADatagramChannelBoundToAFailedLinksAddressEndsWithTheLinksError() throws Exception {
        try (DatagramChannel channel = provider.openDatagramChannel()) {
            channel.bind(new InetSocketAddress("10.0.0.1", 5353));
            Background<Object> receive = Background.blocked(() -> channel.receive(ByteBuffer.allocate(64)));

            tap.linkFailed(new IOException("TAP device tap9: read failed: EBADFD"));

            assertEquals("TAP device tap9: read failed: EBADFD", assertThrows(IOException.class, receive::get).getMessage());
        }
    }

    @Test
    void aReadBlockedOnAConnectionWhoseStackClosesEndsWithAnAbort() throws Exception {
        try (ServerSocketChannel listener = provider.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = provider.openSocketChannel();
            client.connect(listener.getLocalAddress());
            try (SocketChannel server = listener.accept()) {
                Background<Integer> read = Background.blocked(() -> client.read(ByteBuffer.allocate(64)));

                stack.close();

                assertEquals(TransportProtocol.STACK_CLOSED_MESSAGE, assertThrows(IOException.class, read::get).getMessage());
            } finally {
                client.close();
            }
        }
    }
}
