package io.jnetstack.spi;

import static io.jnetstack.spi.TcpConnections.LOOPBACK;
import static io.jnetstack.spi.TcpConnections.bytes;
import static io.jnetstack.spi.TcpConnections.readFully;
import static io.jnetstack.spi.TcpConnections.string;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
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
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SocketChannel behaviour over loopback, each fact checked on the JDK's provider and on jnetstack's. */
@Timeout(30)
class SocketChannelTest {
    @RegisterExtension
    final Closer closer = new Closer();

    private TcpConnections tcp(SelectorProvider provider) {
        return new TcpConnections(provider, closer);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingConnectGivesAConnectionWithBothAddresses(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        SocketChannel client = tcp.open();
        assertTrue(client.connect(listener.getLocalAddress()));
        SocketChannel server = closer.add(listener.accept());
        assertTrue(client.isConnected());
        assertFalse(client.isConnectionPending());
        assertEquals(listener.getLocalAddress(), client.getRemoteAddress());
        assertEquals(client.getLocalAddress(), server.getRemoteAddress());
        assertEquals(server.getLocalAddress(), client.getRemoteAddress());
        assertTrue(server.isConnected());
        assertTrue(server.isBlocking(), "an accepted channel starts in blocking mode");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bytesWrittenOnOneEndAreReadOnTheOther(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        assertEquals(5, p.client().write(bytes("hello")));
        assertEquals("hello", readFully(p.server(), 5));
        assertEquals(3, p.server().write(bytes("olé".replace('é', 'e'))));
        assertEquals("ole", readFully(p.client(), 3));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void scatterAndGather(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        ByteBuffer[] srcs = {bytes("ab"), bytes("cde"), bytes("f")};
        assertEquals(6, p.client().write(srcs, 0, 3));
        assertFalse(srcs[2].hasRemaining());
        ByteBuffer[] dsts = {ByteBuffer.allocate(1), ByteBuffer.allocate(2), ByteBuffer.allocate(10)};
        long read = 0;
        while (read < 6) {
            read += p.server().read(dsts, 0, 3);
        }
        assertEquals("a", string(dsts[0]));
        assertEquals("bc", string(dsts[1]));
        assertEquals("def", string(dsts[2]));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void megabytesArriveIntactThroughBlockingWrites(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        byte[] data = new byte[4 << 20];
        new Random(42).nextBytes(data);
        Background<Long> writer = Background.call(() -> {
            long n = p.client().write(ByteBuffer.wrap(data));
            p.client().shutdownOutput();
            return n;
        });
        ByteBuffer received = ByteBuffer.allocate(data.length + 1);
        while (p.server().read(received) >= 0) {
            assertTrue(received.hasRemaining(), "no more bytes than were sent");
        }
        assertEquals(data.length, writer.get(), "a blocking write writes everything");
        assertArrayEquals(data, java.util.Arrays.copyOf(received.array(), received.position()));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingReadWithNothingThereReturnsZero(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.server().configureBlocking(false);
        assertEquals(0, p.server().read(ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readIntoAFullBufferReturnsZeroAtOnce(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        assertEquals(0, p.server().read(ByteBuffer.allocate(0)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingReadWaitsForBytes(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Background<String> read = Background.blocked(() -> readFully(p.server(), 4));
        p.client().write(bytes("late"));
        assertEquals("late", read.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void peerCloseIsEndOfStream(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.client().write(bytes("bye"));
        p.client().close();
        assertEquals("bye", readFully(p.server(), 3));
        assertEquals(-1, p.server().read(ByteBuffer.allocate(10)));
        assertEquals(-1, p.server().read(ByteBuffer.allocate(10)), "and stays so");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedRead(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Background<Integer> read = Background.blocked(() -> p.server().read(ByteBuffer.allocate(10)));
        p.server().close();
        assertThrows(AsynchronousCloseException.class, read::get);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interruptEndsABlockedReadAndClosesTheChannel(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Background<Integer> read = Background.blocked(() -> p.server().read(ByteBuffer.allocate(10)));
        read.thread().interrupt();
        assertThrows(ClosedByInterruptException.class, read::get);
        assertFalse(p.server().isOpen());
    }

    private static final int MORE_THAN_BUFFERS_HOLD = 64 << 20;

    /** As the kernel's write(2): a blocked write that another thread stops returns what it wrote so far. */
    private static void assertBlockedWriteEndsWithWhatItWrote(SocketChannel c, Callable<?> stop) throws Exception {
        Background<Integer> write = Background.blocked(() -> c.write(ByteBuffer.allocate(MORE_THAN_BUFFERS_HOLD)));
        stop.call();
        int written = write.get();
        assertTrue(written > 0 && written < MORE_THAN_BUFFERS_HOLD, "wrote " + written);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedWrite(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).pair().client();
        assertBlockedWriteEndsWithWhatItWrote(c, () -> {
            c.close();
            return null;
        });
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void shutdownOutputEndsABlockedWrite(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).pair().client();
        assertBlockedWriteEndsWithWhatItWrote(c, c::shutdownOutput);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void shutdownOutputSendsEndOfStreamAndForbidsWrites(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.client().shutdownOutput();
        assertEquals(-1, p.server().read(ByteBuffer.allocate(10)));
        assertThrows(ClosedChannelException.class, () -> p.client().write(bytes("x")));
        p.server().write(bytes("still"));
        assertEquals("still", readFully(p.client(), 5), "the other direction still works");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void shutdownInputMakesReadsReturnEndOfStream(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Background<Integer> read = Background.blocked(() -> p.server().read(ByteBuffer.allocate(10)));
        p.server().shutdownInput();
        assertEquals(-1, read.get());
        assertEquals(-1, p.server().read(ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void resetByThePeerFailsEveryRead(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.client().setOption(StandardSocketOptions.SO_LINGER, 0);
        p.client().close();
        SocketException first = assertThrows(SocketException.class, () -> p.server().read(ByteBuffer.allocate(10)));
        assertEquals("Connection reset", first.getMessage());
        SocketException second = assertThrows(SocketException.class, () -> p.server().read(ByteBuffer.allocate(10)));
        assertEquals("Connection reset", second.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void writingToAResetConnectionEndsInABrokenPipe(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        p.client().setOption(StandardSocketOptions.SO_LINGER, 0);
        p.client().close();
        IOException e = null;
        for (int i = 0; i < 3; i++) {
            try {
                p.server().write(bytes("x"));
            } catch (IOException x) {
                e = x; // the first failure may report the reset, the later ones the broken pipe
            }
        }
        assertEquals("Broken pipe", e == null ? null : e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectToAPortNobodyListensOnIsRefusedAndClosesTheChannel(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        InetSocketAddress nobody = tcp.closedPort();
        SocketChannel c = tcp.open();
        ConnectException e = assertThrows(ConnectException.class, () -> c.connect(nobody));
        assertEquals("Connection refused", e.getMessage());
        assertFalse(c.isOpen());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingConnectCompletesThroughOpConnectAndFinishConnect(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        SocketChannel c = tcp.open();
        c.configureBlocking(false);
        if (!c.connect(listener.getLocalAddress())) {
            assertTrue(c.isConnectionPending());
            assertEquals(listener.getLocalAddress(), c.getRemoteAddress());
            Selector s = closer.add(provider.openSelector());
            SelectionKey k = c.register(s, SelectionKey.OP_CONNECT);
            assertEquals(1, s.select());
            assertEquals(SelectionKey.OP_CONNECT, k.readyOps());
            assertTrue(c.finishConnect());
        }
        assertTrue(c.isConnected());
        assertFalse(c.isConnectionPending());
        assertTrue(c.finishConnect(), "again: still connected");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingConnectToAPortNobodyListensOnFailsInFinishConnect(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        InetSocketAddress nobody = tcp.closedPort();
        SocketChannel c = tcp.open();
        c.configureBlocking(false);
        ConnectException e = assertThrows(ConnectException.class, () -> {
            if (!c.connect(nobody)) {
                Selector s = closer.add(provider.openSelector());
                c.register(s, SelectionKey.OP_CONNECT);
                s.select();
                c.finishConnect();
            }
        });
        assertEquals("Connection refused", e.getMessage());
        assertFalse(c.isOpen());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectingAConnectedChannelThrowsAlreadyConnected(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        assertThrows(AlreadyConnectedException.class, () -> p.client().connect(p.server().getLocalAddress()));
        assertTrue(p.client().isOpen(), "a state error does not close the channel");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void finishConnectWithoutConnectThrowsNoConnectionPending(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).open();
        assertThrows(NoConnectionPendingException.class, c::finishConnect);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void connectingToTheWildcardAddressReachesTheLocalHost(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = closer.add(provider.openServerSocketChannel()).bind(new InetSocketAddress(0));
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        SocketChannel c = tcp.open();
        assertTrue(c.connect(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port)));
        closer.add(listener.accept());
        assertEquals(new InetSocketAddress(LOOPBACK, port), c.getRemoteAddress());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readAndWriteBeforeConnectThrowNotYetConnected(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).open();
        assertThrows(NotYetConnectedException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(NotYetConnectedException.class, () -> c.write(bytes("x")));
        assertThrows(NotYetConnectedException.class, c::shutdownInput);
        assertThrows(NotYetConnectedException.class, c::shutdownOutput);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void operationsOnAClosedChannelThrowClosedChannel(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        SocketChannel c = p.client();
        c.close();
        assertFalse(c.isConnected());
        assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> c.write(bytes("x")));
        assertThrows(ClosedChannelException.class, c::getLocalAddress);
        assertThrows(ClosedChannelException.class, c::getRemoteAddress);
        assertThrows(ClosedChannelException.class, () -> c.getOption(StandardSocketOptions.TCP_NODELAY));
        assertThrows(ClosedChannelException.class, () -> c.connect(p.server().getLocalAddress()));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void badAddressesAreRefusedAsTheJdkDoes(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        SocketChannel c = tcp.open();
        assertThrows(UnresolvedAddressException.class, () -> c.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80)));
        SocketChannel d = tcp.open();
        assertThrows(UnsupportedAddressTypeException.class, () -> d.connect(new SocketAddress() {
        }));
        assertThrows(UnsupportedAddressTypeException.class, () -> d.bind(new SocketAddress() {
        }));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bindChoosesAnEphemeralPortAndOnlyOnce(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).open();
        assertNull(c.getLocalAddress());
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
        assertEquals(LOOPBACK, local.getAddress());
        assertTrue(local.getPort() > 0);
        assertThrows(AlreadyBoundException.class, () -> c.bind(new InetSocketAddress(LOOPBACK, 0)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bindingAListenersPortIsRefused(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        BindException e = assertThrows(BindException.class, () -> tcp.open().bind(listener.getLocalAddress()));
        assertEquals("Address already in use", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void boundChannelConnectsFromItsAddress(SelectorProvider provider) throws Exception {
        TcpConnections tcp = tcp(provider);
        ServerSocketChannel listener = tcp.listener();
        SocketChannel c = tcp.open().bind(new InetSocketAddress(LOOPBACK, 0));
        SocketAddress bound = c.getLocalAddress();
        c.connect(listener.getLocalAddress());
        assertEquals(bound, closer.add(listener.accept()).getRemoteAddress());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void optionsAreSupportedSetAndRead(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).open();
        assertTrue(c.supportedOptions().containsAll(TcpSocketOptions.CLIENT));
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY));
        c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        assertTrue(c.getOption(StandardSocketOptions.SO_KEEPALIVE));
        c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        assertTrue(c.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertEquals(-1, c.getOption(StandardSocketOptions.SO_LINGER), "off by default");
        c.setOption(StandardSocketOptions.SO_LINGER, 5);
        assertEquals(5, c.getOption(StandardSocketOptions.SO_LINGER));
        c.setOption(StandardSocketOptions.SO_LINGER, -7);
        assertEquals(-1, c.getOption(StandardSocketOptions.SO_LINGER));
        c.setOption(StandardSocketOptions.SO_RCVBUF, 65536);
        assertTrue(c.getOption(StandardSocketOptions.SO_RCVBUF) >= 65536);
        c.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
        assertTrue(c.getOption(StandardSocketOptions.SO_SNDBUF) >= 65536);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void badOptionsAreRefusedAsTheJdkDoes(SelectorProvider provider) throws Exception {
        SocketChannel c = tcp(provider).open();
        assertEquals("'SO_BROADCAST' not supported", assertThrows(UnsupportedOperationException.class,
                () -> c.setOption(StandardSocketOptions.SO_BROADCAST, true)).getMessage());
        assertEquals("Invalid value 'null'", assertThrows(IllegalArgumentException.class,
                () -> c.setOption(StandardSocketOptions.TCP_NODELAY, null)).getMessage());
        assertEquals("Invalid send/receive buffer size", assertThrows(IllegalArgumentException.class,
                () -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1)).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectorReportsReadableAndWritableConnections(SelectorProvider provider) throws Exception {
        TcpConnections.Pair p = tcp(provider).pair();
        Selector s = closer.add(provider.openSelector());
        p.server().configureBlocking(false);
        SelectionKey k = p.server().register(s, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        assertEquals(1, s.select());
        assertEquals(SelectionKey.OP_WRITE, k.readyOps(), "writable at once, nothing to read yet");
        s.selectedKeys().clear();
        k.interestOps(SelectionKey.OP_READ);
        p.client().write(bytes("x"));
        assertEquals(1, s.select());
        assertEquals(SelectionKey.OP_READ, k.readyOps());
    }
}
