package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an application does to its own channels — interrupts, closes from other threads, a peer
 * that never reads — leaves nothing behind in the stack: each test runs on a stack of its own and
 * checks that no endpoint or port outlives the channels. What both providers do alike is in the
 * compat contracts ({@code ApplicationFaultContracts}); these are the cases the JDK cannot be
 * driven into on a loopback, with the {@link SocketChannel} specification as the oracle.
 */
@Timeout(30)
class ApplicationFaultTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Nobody answers at this address: its ARP requests go into a pipe with no stack at the far end. */
    private static final InetSocketAddress BLACK_HOLE = new InetSocketAddress("10.0.0.2", 80);

    private final Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(new TcpProtocol()).build();
    private final JnetstackSelectorProvider provider = new JnetstackSelectorProvider(stack);

    ApplicationFaultTest() {
        stack.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
        stack.createNic("void", PipeLink.pair(1500).a()).addAddress(IpSubnet.parse("10.0.0.1/24"));
    }

    @AfterEach
    void closeStack() {
        stack.close();
    }

    private static TcpEndpoint endpoint(SocketChannel c) {
        return ((JnetstackSocketChannel) c).endpoint();
    }

    /**
     * Waits until each channel's connection has ended and left the demultiplexer (the thread that
     * ends it wakes the endpoint's waiters after that), then checks the stack holds no endpoint.
     */
    private void assertReleased(List<SocketChannel> channels) throws InterruptedException {
        for (SocketChannel c : channels) {
            TcpEndpoint e = endpoint(c);
            Await.until(e.waiterQueue(), Events.ALL, () -> e.state() == TcpState.CLOSED && stack.demuxer().find(
                            TcpProtocol.PROTOCOL_NUMBER, e.localAddress(), e.localPort(), e.remoteAddress(), e.remotePort()) != e,
                    LIMIT, e + " to end and let go of its endpoint");
        }
        assertEquals(0, stack.demuxer().size(), "endpoints left in the stack");
    }

    private static void assertPortFree(Stack s, int port) {
        assertFalse(s.ports().isReserved(TcpProtocol.PROTOCOL_NUMBER, IpAddress.IPV4_ANY, port), "port " + port + " released");
    }

    @Test
    void closingAChannelBlockedInConnectEndsTheConnectWithAsynchronousClose() throws Exception {
        SocketChannel c = provider.openSocketChannel();
        Background<Boolean> connect = Background.blocked(() -> c.connect(BLACK_HOLE));
        int port = endpoint(c).localPort();
        c.close();
        assertThrows(AsynchronousCloseException.class, connect::get);
        assertReleased(List.of(c));
        assertPortFree(stack, port);
    }

    @Test
    void interruptingAThreadBlockedInConnectClosesTheChannelAndKeepsItsStatus() throws Exception {
        SocketChannel c = provider.openSocketChannel();
        Background<Boolean> connect = Background.blocked(() -> {
            try {
                return c.connect(BLACK_HOLE);
            } catch (ClosedByInterruptException e) {
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
                throw e;
            }
        });
        int port = endpoint(c).localPort();
        connect.thread().interrupt();
        assertThrows(ClosedByInterruptException.class, connect::get);
        assertFalse(c.isOpen(), "the channel is closed");
        assertReleased(List.of(c));
        assertPortFree(stack, port);
    }

    /** A connection on the stack's loopback: the writer's end and the reader's, both blocking. */
    private record Connection(SocketChannel writer, SocketChannel reader) {
    }

    private Connection connect() throws IOException {
        try (ServerSocketChannel listener = provider.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel writer = provider.openSocketChannel();
            writer.connect(listener.getLocalAddress());
            return new Connection(writer, listener.accept());
        }
    }

    @Test
    void aPeerThatNeverReadsBoundsWhatTheWriterBuffersAndClosingBothFreesEverything() throws Exception {
        Connection c = connect();
        int sendBuffer = endpoint(c.writer()).sendBufferSize();
        int receiveBufferLimit = ((TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER)).config().maxReceiveBufferSize();
        long written = TcpConnections.fill(c.writer());
        assertTrue(written <= sendBuffer + receiveBufferLimit,
                "wrote " + written + " bytes, more than the send buffer and the largest receive buffer hold");
        ByteBuffer big = ByteBuffer.allocate(TcpConnections.MORE_THAN_BUFFERS_HOLD);
        Background<Integer> blockedWrite = Background.blocked(() -> c.writer().write(big));

        int writerPort = endpoint(c.writer()).localPort();
        c.reader().close(); // unread data: a RST ends the connection (RFC 9293 §3.10.4)
        try {
            int took = blockedWrite.get();
            assertTrue(took > 0, "a write the failure ended returns the bytes it took: " + took);
            assertThrows(IOException.class, () -> c.writer().write(ByteBuffer.allocate(1)), "the next write reports the failure");
        } catch (ClosedChannelException e) {
            throw new AssertionError("a connection error, not a closed channel", e);
        } catch (IOException expected) {
            // the failure came before the write took a byte
        }
        c.writer().close();
        assertReleased(List.of(c.writer(), c.reader()));
        assertPortFree(stack, writerPort);
    }

    /**
     * As the kernel's write(2) (tcp_sendmsg returns what it copied before an error) and so the
     * JDK's channel: a blocking write that took bytes before the connection failed returns their
     * count, and the next write reports the failure.
     */
    @Test
    void aBlockingWriteThatTookBytesBeforeTheConnectionFailedReturnsThemAndTheNextWriteFails() throws Exception {
        Connection c = connect();
        TcpConnections.fill(c.writer());
        ByteBuffer big = ByteBuffer.allocate(TcpConnections.MORE_THAN_BUFFERS_HOLD);
        Background<Integer> blockedWrite = Background.blocked(() -> c.writer().write(big));

        // The reader takes a little, so the blocked write takes some bytes and blocks again.
        ByteBuffer sink = ByteBuffer.allocate(256 * 1024);
        while (sink.hasRemaining()) {
            c.reader().read(sink);
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (big.position() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the writer's thread moves the position as it copies
        }
        assertTrue(big.position() > 0, "the blocked write took bytes once the reader read");

        c.reader().close(); // unread data: a RST ends the connection
        int returned = blockedWrite.get();
        assertEquals(big.position(), returned, "the write returns the bytes it took");
        assertThrows(IOException.class, () -> c.writer().write(ByteBuffer.allocate(1)), "the next write reports the failure");
        c.writer().close();
        assertReleased(List.of(c.writer(), c.reader()));
    }
}
