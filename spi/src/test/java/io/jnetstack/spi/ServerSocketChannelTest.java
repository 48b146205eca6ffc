package io.jnetstack.spi;

import static io.jnetstack.spi.TcpConnections.LOOPBACK;
import static io.jnetstack.spi.TcpConnections.bytes;
import static io.jnetstack.spi.TcpConnections.readFully;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ServerSocketChannel behaviour over loopback, each fact checked on the JDK's provider and on jnetstack's. */
@Timeout(30)
class ServerSocketChannelTest {
    @RegisterExtension
    final Closer closer = new Closer();

    private TcpConnections tcp(SelectorProvider provider) {
        return new TcpConnections(provider, closer);
    }

    private ServerSocketChannel unbound(SelectorProvider provider) throws Exception {
        return closer.add(provider.openServerSocketChannel());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bindToPortZeroChoosesAnEphemeralPort(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = unbound(provider);
        assertNull(listener.getLocalAddress());
        listener.bind(new InetSocketAddress(LOOPBACK, 0));
        InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
        assertEquals(LOOPBACK, local.getAddress());
        assertTrue(local.getPort() > 0);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bindingTwiceThrowsAlreadyBound(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        assertThrows(AlreadyBoundException.class, () -> listener.bind(new InetSocketAddress(LOOPBACK, 0)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void aSecondListenerOnThePortIsRefused(SelectorProvider provider) throws Exception {
        ServerSocketChannel first = tcp(provider).listener();
        BindException e = assertThrows(BindException.class, () -> unbound(provider).bind(first.getLocalAddress()));
        assertEquals("Address already in use", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void acceptBeforeBindThrowsNotYetBound(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = unbound(provider);
        assertThrows(NotYetBoundException.class, listener::accept);
        listener.configureBlocking(false);
        assertThrows(NotYetBoundException.class, listener::accept);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingAcceptWithNoConnectionReturnsNull(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        listener.configureBlocking(false);
        assertNull(listener.accept());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingAcceptWaitsForAConnection(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        Background<SocketChannel> accept = Background.blocked(listener::accept);
        SocketChannel client = tcp.open();
        client.connect(listener.getLocalAddress());
        SocketChannel accepted = closer.add(accept.get());
        assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedAccept(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        Background<SocketChannel> accept = Background.blocked(listener::accept);
        listener.close();
        assertThrows(AsynchronousCloseException.class, accept::get);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interruptEndsABlockedAcceptAndClosesTheChannel(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        Background<SocketChannel> accept = Background.blocked(listener::accept);
        accept.thread().interrupt();
        assertThrows(ClosedByInterruptException.class, accept::get);
        assertFalse(listener.isOpen());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void acceptOnAClosedChannelThrowsClosedChannel(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        listener.close();
        assertThrows(ClosedChannelException.class, listener::accept);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void backlogZeroMeansTheDefaultWhichHoldsSeveralConnections(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = unbound(provider).bind(new InetSocketAddress(LOOPBACK, 0), 0);
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SocketChannel c = tcp.open();
            c.connect(listener.getLocalAddress());
            c.write(bytes("c" + i));
            clients.add(c);
        }
        for (int i = 0; i < 5; i++) {
            SocketChannel accepted = closer.add(listener.accept());
            int from = clients.indexOf(clients.stream().filter(c -> {
                try {
                    return c.getLocalAddress().equals(accepted.getRemoteAddress());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow());
            assertEquals("c" + from, readFully(accepted, 2), "every queued connection is alive");
        }
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectorReportsAPendingConnectionAsAcceptable(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        listener.configureBlocking(false);
        Selector s = closer.add(provider.openSelector());
        SelectionKey k = listener.register(s, SelectionKey.OP_ACCEPT);
        assertEquals(0, s.selectNow());
        tcp.open().connect(listener.getLocalAddress());
        assertEquals(1, s.select());
        assertEquals(SelectionKey.OP_ACCEPT, k.readyOps());
        closer.add(listener.accept());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void optionsAreTheJdksWithReuseAddressOn(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = unbound(provider);
        assertTrue(listener.supportedOptions().containsAll(TcpSocketOptions.SERVER));
        assertTrue(listener.getOption(StandardSocketOptions.SO_REUSEADDR), "on by default, as the JDK sets it");
        listener.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        assertTrue(listener.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
        assertThrows(UnsupportedOperationException.class, () -> listener.setOption(StandardSocketOptions.TCP_NODELAY, true));
    }
}
