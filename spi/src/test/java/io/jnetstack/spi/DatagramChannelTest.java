package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DatagramChannel behaviour over loopback, each fact checked on the JDK's provider and on jnetstack's. */
@Timeout(20)
class DatagramChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    @RegisterExtension
    final Closer closer = new Closer();

    private DatagramChannel open(SelectorProvider provider) throws IOException {
        return closer.add(provider.openDatagramChannel());
    }

    private DatagramChannel bound(SelectorProvider provider) throws IOException {
        return open(provider).bind(new InetSocketAddress(LOOPBACK, 0));
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void sendAndReceiveCarryTheSendersAddress(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        assertEquals(5, a.send(bytes("hello"), b.getLocalAddress()));
        ByteBuffer dst = ByteBuffer.allocate(100);
        SocketAddress from = b.receive(dst);
        assertEquals(a.getLocalAddress(), from);
        assertEquals("hello", string(dst));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void receiveTruncatesToTheBuffer(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        a.send(bytes("hello"), b.getLocalAddress());
        a.send(bytes("next"), b.getLocalAddress());
        ByteBuffer small = ByteBuffer.allocate(2);
        b.receive(small);
        assertEquals("he", string(small));
        ByteBuffer rest = ByteBuffer.allocate(100);
        b.receive(rest);
        assertEquals("next", string(rest), "the rest of the first datagram is discarded");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingReceiveWithNothingQueuedReturnsNull(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        a.configureBlocking(false);
        assertNull(a.receive(ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void receiveBindsAnUnboundChannel(SelectorProvider provider) throws Exception {
        DatagramChannel a = open(provider);
        a.configureBlocking(false);
        assertNull(a.getLocalAddress());
        a.receive(ByteBuffer.allocate(10));
        assertTrue(((InetSocketAddress) a.getLocalAddress()).getPort() > 0);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingReceiveWaitsForADatagram(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        Background<String> received = Background.blocked(() -> {
            ByteBuffer dst = ByteBuffer.allocate(10);
            b.receive(dst);
            return string(dst);
        });
        a.send(bytes("late"), b.getLocalAddress());
        assertEquals("late", received.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedReceive(SelectorProvider provider) throws Exception {
        DatagramChannel b = bound(provider);
        Background<SocketAddress> receive = Background.blocked(() -> b.receive(ByteBuffer.allocate(10)));
        b.close();
        assertThrows(AsynchronousCloseException.class, receive::get);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interruptEndsABlockedReceiveAndClosesTheChannel(SelectorProvider provider) throws Exception {
        DatagramChannel b = bound(provider);
        Background<SocketAddress> receive = Background.blocked(() -> b.receive(ByteBuffer.allocate(10)));
        receive.thread().interrupt();
        assertThrows(ClosedByInterruptException.class, receive::get);
        assertFalse(b.isOpen());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectedChannelReadsAndWrites(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        a.connect(b.getLocalAddress());
        b.connect(a.getLocalAddress());
        assertTrue(a.isConnected());
        assertEquals(b.getLocalAddress(), a.getRemoteAddress());
        assertEquals(3, a.write(bytes("abc")));
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertEquals(3, b.read(dst));
        assertEquals("abc", string(dst));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void scatterReadAndGatherWriteMoveOneDatagram(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        a.connect(b.getLocalAddress());
        b.connect(a.getLocalAddress());
        assertEquals(6, a.write(new ByteBuffer[] {bytes("abc"), bytes("def")}));
        ByteBuffer first = ByteBuffer.allocate(2);
        ByteBuffer second = ByteBuffer.allocate(10);
        assertEquals(6, b.read(new ByteBuffer[] {first, second}));
        assertEquals("ab", string(first));
        assertEquals("cdef", string(second));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectedChannelOnlyReceivesFromItsPeer(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        DatagramChannel stranger = bound(provider);
        b.connect(a.getLocalAddress());
        b.configureBlocking(false);
        stranger.send(bytes("no"), b.getLocalAddress());
        a.send(bytes("yes"), b.getLocalAddress());
        ByteBuffer dst = ByteBuffer.allocate(10);
        b.configureBlocking(true);
        assertEquals(a.getLocalAddress(), b.receive(dst));
        assertEquals("yes", string(dst));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readAndWriteNeedAConnection(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        assertThrows(NotYetConnectedException.class, () -> a.read(ByteBuffer.allocate(1)));
        assertThrows(NotYetConnectedException.class, () -> a.write(ByteBuffer.allocate(1)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectTwiceAndSendElsewhereWhileConnectedAreRefused(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        DatagramChannel c = bound(provider);
        a.connect(b.getLocalAddress());
        assertThrows(AlreadyConnectedException.class, () -> a.connect(b.getLocalAddress()));
        assertThrows(AlreadyConnectedException.class, () -> a.send(bytes("x"), c.getLocalAddress()));
        assertEquals(1, a.send(bytes("x"), b.getLocalAddress()));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectUsesTheRoutesSourceAddressAndDisconnectRestoresTheBoundOne(SelectorProvider provider) throws Exception {
        DatagramChannel a = open(provider).bind(new InetSocketAddress(0));
        DatagramChannel b = bound(provider);
        int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
        a.connect(b.getLocalAddress());
        assertEquals(new InetSocketAddress(LOOPBACK, port), a.getLocalAddress());
        a.disconnect();
        assertFalse(a.isConnected());
        assertNull(a.getRemoteAddress());
        InetSocketAddress local = (InetSocketAddress) a.getLocalAddress();
        assertTrue(local.getAddress().isAnyLocalAddress());
        assertEquals(port, local.getPort());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectedChannelReportsAnUnreachablePeer(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel gone = bound(provider);
        SocketAddress goneAddress = gone.getLocalAddress();
        gone.close();
        a.connect(goneAddress);
        a.write(bytes("anyone?"));
        Selector s = closer.add(provider.openSelector());
        a.configureBlocking(false);
        a.register(s, SelectionKey.OP_READ);
        assertEquals(1, s.select(10_000), "the ICMP error makes the channel readable");
        assertThrows(java.net.PortUnreachableException.class, () -> a.read(ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bindErrors(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        assertThrows(AlreadyBoundException.class, () -> a.bind(null));
        BindException inUse = assertThrows(BindException.class, () -> open(provider).bind(a.getLocalAddress()));
        assertEquals("Address already in use", inUse.getMessage());
        BindException foreign = assertThrows(BindException.class,
                () -> open(provider).bind(new InetSocketAddress("192.0.2.1", 0)));
        assertEquals("Cannot assign requested address", foreign.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void addressErrors(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        assertThrows(UnresolvedAddressException.class, () -> a.send(bytes("x"), InetSocketAddress.createUnresolved("nowhere.invalid", 9)));
        assertThrows(UnsupportedAddressTypeException.class, () -> a.send(bytes("x"), new SocketAddress() { }));
        SocketException port0 = assertThrows(SocketException.class, () -> a.send(bytes("x"), new InetSocketAddress(LOOPBACK, 0)));
        assertEquals("Can't send to port 0", port0.getMessage());
        SocketException connect0 = assertThrows(SocketException.class, () -> a.connect(new InetSocketAddress(LOOPBACK, 0)));
        assertEquals("Can't connect to port 0", connect0.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closedChannel(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        a.close();
        assertThrows(ClosedChannelException.class, a::getLocalAddress);
        assertThrows(ClosedChannelException.class, a::getRemoteAddress);
        assertThrows(ClosedChannelException.class, () -> a.getOption(StandardSocketOptions.SO_RCVBUF));
        assertThrows(ClosedChannelException.class, () -> a.connect(new InetSocketAddress(LOOPBACK, 9)));
        assertThrows(ClosedChannelException.class, () -> a.receive(ByteBuffer.allocate(1)));
        assertFalse(a.isConnected());
        a.disconnect(); // no exception: the JDK ignores a disconnect of a closed channel
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void options(SelectorProvider provider) throws Exception {
        DatagramChannel a = open(provider);
        assertTrue(a.supportedOptions().containsAll(JnetstackDatagramChannel.OPTIONS));
        assertEquals(false, a.getOption(StandardSocketOptions.SO_BROADCAST));
        assertEquals(true, a.setOption(StandardSocketOptions.SO_BROADCAST, true).getOption(StandardSocketOptions.SO_BROADCAST));
        assertEquals(false, a.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertEquals(0, a.getOption(StandardSocketOptions.IP_TOS));
        assertTrue(a.getOption(StandardSocketOptions.SO_RCVBUF) > 0);
        assertTrue(a.setOption(StandardSocketOptions.SO_RCVBUF, 4096).getOption(StandardSocketOptions.SO_RCVBUF) >= 4096);
        assertEquals("Invalid send/receive buffer size", assertThrows(IllegalArgumentException.class,
                () -> a.setOption(StandardSocketOptions.SO_SNDBUF, -1)).getMessage());
        assertEquals("Invalid IP_TOS value", assertThrows(IllegalArgumentException.class,
                () -> a.setOption(StandardSocketOptions.IP_TOS, 256)).getMessage());
        assertEquals("Invalid value 'null'", assertThrows(IllegalArgumentException.class,
                () -> a.setOption(StandardSocketOptions.IP_TOS, null)).getMessage());
        assertEquals("'TCP_NODELAY' not supported", assertThrows(UnsupportedOperationException.class,
                () -> a.getOption(StandardSocketOptions.TCP_NODELAY)).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void writableAndReadableReadinessReachTheSelector(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        b.configureBlocking(false);
        Selector s = closer.add(provider.openSelector());
        SelectionKey k = b.register(s, SelectionKey.OP_WRITE);
        assertEquals(1, s.selectNow());
        assertEquals(SelectionKey.OP_WRITE, k.readyOps());
        s.selectedKeys().clear();
        k.interestOps(SelectionKey.OP_READ);
        a.send(bytes("x"), b.getLocalAddress());
        assertEquals(1, s.select());
        assertEquals(SelectionKey.OP_READ, k.readyOps(), "a key not in the selected set gets a new ready set");
        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        assertEquals(1, s.selectNow());
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, k.readyOps(), "a selected key's ready set grows");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void socketAdaptorSendsAndReceivesPackets(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        java.net.DatagramSocket sa = a.socket();
        java.net.DatagramSocket sb = b.socket();
        assertEquals(a.getLocalAddress(), sa.getLocalSocketAddress());
        sa.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3, sb.getLocalSocketAddress()));
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[10], 10);
        sb.receive(p);
        assertEquals(3, p.getLength());
        assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(p.getData(), 3));
        assertEquals(sa.getLocalSocketAddress(), p.getSocketAddress());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void socketAdaptorReceiveTimesOut(SelectorProvider provider) throws Exception {
        java.net.DatagramSocket s = bound(provider).socket();
        s.setSoTimeout(30);
        assertEquals(30, s.getSoTimeout());
        java.net.SocketTimeoutException e = assertThrows(java.net.SocketTimeoutException.class,
                () -> s.receive(new java.net.DatagramPacket(new byte[1], 1)));
        assertEquals("Receive timed out", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void socketAdaptorConnectsAndCloses(SelectorProvider provider) throws Exception {
        DatagramChannel a = bound(provider);
        DatagramChannel b = bound(provider);
        java.net.DatagramSocket s = a.socket();
        s.connect(b.getLocalAddress());
        assertTrue(s.isConnected());
        assertEquals(((InetSocketAddress) b.getLocalAddress()).getPort(), s.getPort());
        s.send(new java.net.DatagramPacket(new byte[] {9}, 1));
        assertEquals(a.getLocalAddress(), b.receive(ByteBuffer.allocate(1)));
        s.close();
        assertTrue(s.isClosed());
        assertFalse(a.isOpen());
        assertEquals(-1, s.getLocalPort());
        assertEquals("Socket is closed", assertThrows(SocketException.class, s::getSoTimeout).getMessage());
    }
}
