package io.jnetstack.compat.contract;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** TCP closes: asynchronous close and interrupt of blocked calls, closed-channel errors. */
public final class TcpCloseContracts {
    private static final int MORE_THAN_BUFFERS_HOLD = 64 << 20;

    private TcpCloseContracts() {
    }

    /**
     * Blocks a write, stops it with {@code stop}, and checks it ends as the kernel's write(2) does:
     * with the bytes it had written (a partial count), or with AsynchronousCloseException — what
     * WritableByteChannel names for a close during a write, and what the JDK throws, for a close or
     * a shutdownOutput alike, when the stop catches its write before any byte moved.
     */
    private static void aBlockedWriteEnds(SocketChannel channel, Check.Action stop) throws Exception {
        Blocked<Integer> write = Blocked.start(() -> channel.write(ByteBuffer.allocate(MORE_THAN_BUFFERS_HOLD)));
        stop.run();
        try {
            int written = write.result();
            Check.isTrue(written > 0 && written < MORE_THAN_BUFFERS_HOLD, "wrote " + written);
        } catch (AsynchronousCloseException expected) {
            // the write was stopped before it moved a byte
        }
    }

    @Contract
    public static void closingEndsABlockedWrite() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            aBlockedWriteEnds(pair.client(), pair.client()::close);
        }
    }

    @Contract
    public static void shutdownOutputEndsABlockedWrite() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            aBlockedWriteEnds(pair.client(), pair.client()::shutdownOutput);
        }
    }

    @Contract
    public static void closingWakesABlockedReadWithAsynchronousClose() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = Blocked.start(() -> pair.client().read(ByteBuffer.allocate(1)));
            pair.client().close();
            read.failure(AsynchronousCloseException.class);
        }
    }

    @Contract
    public static void closingWakesABlockedAcceptWithAsynchronousClose() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            Blocked<SocketChannel> accept = Blocked.start(server::accept);
            server.close();
            accept.failure(AsynchronousCloseException.class);
        }
    }

    @Contract
    public static void interruptingABlockedReadClosesTheChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = Blocked.start(() -> pair.client().read(ByteBuffer.allocate(1)));
            read.thread().interrupt();
            read.failure(ClosedByInterruptException.class);
            Check.isTrue(!pair.client().isOpen(), "the interrupted channel is closed");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "the peer sees the end");
        }
    }

    @Contract
    public static void interruptingABlockedAcceptClosesTheServer() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            Blocked<SocketChannel> accept = Blocked.start(server::accept);
            accept.thread().interrupt();
            accept.failure(ClosedByInterruptException.class);
            Check.isTrue(!server.isOpen(), "the interrupted server channel is closed");
        }
    }

    @Contract
    public static void aBlockingCallFromAnInterruptedThreadClosesTheChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Thread.currentThread().interrupt();
            try {
                Check.thrown(ClosedByInterruptException.class, () -> pair.client().write(Loopback.text("x")));
            } finally {
                Check.isTrue(Thread.interrupted(), "the interrupt status stays set");
            }
            Check.isTrue(!pair.client().isOpen(), "channel closed");
        }
    }

    @Contract
    public static void aClosedSocketChannelThrowsClosedChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().close();
            Check.isTrue(!pair.client().isConnected(), "a closed channel is not connected");
            Check.thrown(ClosedChannelException.class, () -> pair.client().read(ByteBuffer.allocate(1)));
            Check.thrown(ClosedChannelException.class, () -> pair.client().write(Loopback.text("x")));
            Check.thrown(ClosedChannelException.class, pair.client()::getRemoteAddress);
            Check.thrown(ClosedChannelException.class, pair.client()::getLocalAddress);
            Check.thrown(ClosedChannelException.class, pair.client()::shutdownOutput);
            Check.thrown(ClosedChannelException.class, () -> pair.client().connect(pair.server().getLocalAddress()));
            pair.client().close();
        }
    }

    @Contract
    public static void aClosedServerChannelThrowsClosedChannel() throws Exception {
        ServerSocketChannel server = Loopback.listen();
        server.close();
        Check.thrown(ClosedChannelException.class, server::accept);
        Check.thrown(ClosedChannelException.class, server::getLocalAddress);
        Check.thrown(ClosedChannelException.class, () -> server.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
    }

    @Contract
    public static void closingTheServerRefusesNewConnections() throws Exception {
        ServerSocketChannel server = Loopback.listen();
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        server.close();
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(ConnectException.class, "Connection refused", () -> client.connect(address));
        }
    }

    @Contract
    public static void closingGivesThePeerEndOfStream() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Loopback.writeText(pair.client(), "last words");
            pair.client().close();
            Check.equal("last words", Loopback.readText(pair.accepted(), 10), "data before the close");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "end of stream");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "and it stays so");
        }
    }

    @Contract
    public static void aServerPortIsReusableAfterItsConnectionsClose() throws Exception {
        InetSocketAddress address;
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            address = (InetSocketAddress) pair.server().getLocalAddress();
            Loopback.writeText(pair.accepted(), "x");
            Loopback.readText(pair.client(), 1);
        }
        // The connection's TIME-WAIT keeps the port in use; SO_REUSEADDR, on by default for a server channel, lets a listener bind it.
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(address);
            Check.equal(address, again.getLocalAddress(), "bound again");
        }
    }
}
