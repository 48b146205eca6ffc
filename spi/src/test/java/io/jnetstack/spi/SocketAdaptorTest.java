package io.jnetstack.spi;

import static io.jnetstack.spi.TcpConnections.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The socket() adaptors of the TCP channels, each fact checked on the JDK's provider and on jnetstack's. */
@Timeout(30)
class SocketAdaptorTest {
    private static final int SHORT_TIMEOUT_MILLIS = 100;
    @RegisterExtension
    final Closer closer = new Closer();

    private TcpConnections tcp(SelectorProvider provider) {
        return new TcpConnections(provider, closer);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void streamsCarryBytesBothWays(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Socket client = p.client().socket();
        Socket server = p.server().socket();
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), server.getInputStream().readNBytes(4));
        server.getOutputStream().write('!');
        assertEquals('!', client.getInputStream().read());
        client.close();
        assertEquals(-1, server.getInputStream().read(), "end of stream after the peer closed");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void availableCountsTheBytesWaiting(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.client().socket().getOutputStream().write(new byte[3]);
        InputStream in = p.server().socket().getInputStream();
        assertEquals(1, in.readNBytes(1).length);
        assertEquals(2, in.available());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readWithSoTimeoutTimesOutAndTheSocketStaysUsable(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Socket server = p.server().socket();
        server.setSoTimeout(SHORT_TIMEOUT_MILLIS);
        assertEquals(SHORT_TIMEOUT_MILLIS, server.getSoTimeout());
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> server.getInputStream().read());
        assertEquals("Read timed out", e.getMessage());
        assertFalse(server.isClosed());
        p.client().socket().getOutputStream().write(9);
        assertEquals(9, server.getInputStream().read());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void addressesAndStateFollowTheChannel(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Socket client = p.client().socket();
        InetSocketAddress remote = (InetSocketAddress) p.client().getRemoteAddress();
        InetSocketAddress local = (InetSocketAddress) p.client().getLocalAddress();
        assertSame(p.client(), client.getChannel());
        assertSame(client, p.client().socket(), "one adaptor per channel");
        assertTrue(client.isConnected());
        assertTrue(client.isBound());
        assertEquals(remote.getAddress(), client.getInetAddress());
        assertEquals(remote.getPort(), client.getPort());
        assertEquals(local.getPort(), client.getLocalPort());
        assertEquals(local, client.getLocalSocketAddress());
        assertEquals(remote, client.getRemoteSocketAddress());
        client.shutdownOutput();
        assertTrue(client.isOutputShutdown());
        assertEquals("Socket output is shutdown", assertThrows(SocketException.class, client::getOutputStream).getMessage());
        client.close();
        assertTrue(client.isClosed());
        assertFalse(p.client().isOpen());
        assertEquals("Socket is closed", assertThrows(SocketException.class, client::getInputStream).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void unconnectedSocketHasNoStreams(SelectorProvider provider) throws Exception {
        Socket s = tcp(provider).open().socket();
        assertFalse(s.isConnected());
        assertEquals(0, s.getPort());
        assertEquals(-1, s.getLocalPort());
        assertEquals("Socket is not connected", assertThrows(SocketException.class, s::getInputStream).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectThroughTheAdaptorWithATimeout(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        Socket s = tcp.open().socket();
        s.connect(listener.getLocalAddress(), 5_000);
        assertTrue(s.isConnected());
        closer.add(listener.accept());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectThroughTheAdaptorToAPortNobodyListensOnIsRefused(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        InetSocketAddress nobody = tcp.closedPort();
        Socket s = tcp.open().socket();
        assertEquals("Connection refused", assertThrows(ConnectException.class, () -> s.connect(nobody)).getMessage());
        assertTrue(s.isClosed());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void optionsThroughTheAdaptor(SelectorProvider provider) throws Exception {
        Socket s = tcp(provider).open().socket();
        s.setTcpNoDelay(true);
        assertTrue(s.getTcpNoDelay());
        s.setKeepAlive(true);
        assertTrue(s.getKeepAlive());
        assertEquals(-1, s.getSoLinger());
        s.setSoLinger(true, 3);
        assertEquals(3, s.getSoLinger());
        s.setSoLinger(false, 3);
        assertEquals(-1, s.getSoLinger());
        s.setReceiveBufferSize(32768);
        assertTrue(s.getReceiveBufferSize() >= 32768);
        assertThrows(IllegalArgumentException.class, () -> s.setSendBufferSize(0));
        s.close();
        assertEquals("Socket is closed", assertThrows(SocketException.class, s::getTcpNoDelay).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void serverSocketAcceptsAndTimesOut(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocket server = closer.add(provider.openServerSocketChannel()).socket();
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        assertTrue(server.isBound());
        assertEquals(LOOPBACK, server.getInetAddress());
        server.setSoTimeout(SHORT_TIMEOUT_MILLIS);
        assertEquals("Accept timed out", assertThrows(SocketTimeoutException.class, server::accept).getMessage());
        SocketChannel client = tcp.open();
        client.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()));
        Socket accepted = closer.add(server.accept());
        assertEquals(client.getLocalAddress(), accepted.getRemoteSocketAddress());
        assertTrue(server.getReuseAddress());
        server.close();
        assertTrue(server.isClosed());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void serverSocketAcceptOnANonBlockingChannelWithNothingPendingIsIllegal(SelectorProvider provider) throws Exception {
        ServerSocketChannel listener = tcp(provider).listener();
        listener.configureBlocking(false);
        assertThrows(IllegalBlockingModeException.class, () -> listener.socket().accept());
    }
}
