package io.jnetstack.compat.contract;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** TCP half-close: shutdownOutput gives the peer end of stream while the other direction goes on. */
public final class TcpShutdownContracts {
    private TcpShutdownContracts() {
    }

    @Contract
    public static void shutdownOutputGivesThePeerEndOfStreamAfterTheData() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Loopback.writeText(pair.client(), "bye");
            pair.client().shutdownOutput();
            Check.equal("bye", Loopback.readText(pair.accepted(), 3), "data before the end");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "read at the end");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "read after the end");
        }
    }

    @Contract
    public static void aHalfClosedConnectionStillCarriesTheOtherDirection() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownOutput();
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "server sees the end");
            Loopback.writeText(pair.accepted(), "reply");
            Check.equal("reply", Loopback.readText(pair.client(), 5), "client still reads");
        }
    }

    @Contract
    public static void writingAfterShutdownOutputThrowsClosedChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownOutput();
            Check.thrown(ClosedChannelException.class, () -> pair.client().write(Loopback.text("x")));
            Check.isTrue(pair.client().isOpen(), "the channel stays open");
        }
    }

    @Contract
    public static void readingAfterShutdownInputReturnsEndOfStream() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownInput();
            Check.equal(-1, pair.client().read(ByteBuffer.allocate(1)), "read after shutdownInput");
            Loopback.writeText(pair.client(), "still");
            Check.equal("still", Loopback.readText(pair.accepted(), 5), "the output still works");
        }
    }

    @Contract
    public static void shutdownInputEndsABlockedReadWithEndOfStream() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = Blocked.start(() -> pair.accepted().read(ByteBuffer.allocate(10)));
            pair.accepted().shutdownInput();
            Check.equal(-1, read.result(), "the blocked read");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(10)), "a read after it");
        }
    }

    @Contract
    public static void shutdownOfAnUnconnectedChannelThrowsNotYetConnected() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(NotYetConnectedException.class, client::shutdownOutput);
            Check.thrown(NotYetConnectedException.class, client::shutdownInput);
        }
    }

    @Contract
    public static void shuttingDownTwiceIsHarmless() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownOutput();
            pair.client().shutdownOutput();
            pair.client().shutdownInput();
            pair.client().shutdownInput();
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "peer sees one end of stream");
        }
    }

    @Contract
    public static void thePeersShutdownMakesTheChannelReadable() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open(); Selector selector = Selector.open()) {
            pair.accepted().configureBlocking(false);
            SelectionKey key = pair.accepted().register(selector, SelectionKey.OP_READ);
            Check.equal(0, selector.selectNow(), "not readable before");
            pair.client().shutdownOutput();
            Check.equal(1, selector.select(5000), "keys selected");
            Check.isTrue(key.isReadable(), "readable at end of stream");
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "read");
        }
    }

    @Contract
    public static void theSocketAdaptorReportsShutdowns() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownOutput();
            Check.isTrue(pair.client().socket().isOutputShutdown(), "output shut down");
            Check.isTrue(!pair.client().socket().isInputShutdown(), "input still open");
            Check.equal(-1, pair.accepted().socket().getInputStream().read(), "the peer's stream ends");
        }
    }

    @Contract
    public static void closingAfterBothShutdownsEndsCleanly() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().shutdownOutput();
            Check.equal(-1, pair.accepted().read(ByteBuffer.allocate(1)), "server sees the end");
            pair.accepted().shutdownOutput();
            Check.equal(-1, pair.client().read(ByteBuffer.allocate(1)), "client sees the end");
            pair.client().close();
            pair.accepted().close();
            Check.isTrue(!pair.client().isOpen() && !pair.accepted().isOpen(), "both closed");
        }
    }
}
