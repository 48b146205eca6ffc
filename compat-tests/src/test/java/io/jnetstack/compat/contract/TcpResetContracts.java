package io.jnetstack.compat.contract;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/** TCP resets: abortive close (SO_LINGER 0, unread data) and what the peer then sees. */
public final class TcpResetContracts {
    private TcpResetContracts() {
    }

    @Contract
    public static void closingWithLingerZeroResetsThePeer() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.client().close();
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void closingWithUnreadDataResetsThePeer() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Loopback.writeText(pair.client(), "unread");
            // The server must hold the bytes before it closes; reading from the pair's client side proves nothing, so wait on a selector.
            try (Selector selector = Selector.open()) {
                pair.accepted().configureBlocking(false);
                pair.accepted().register(selector, SelectionKey.OP_READ);
                Check.equal(1, selector.select(5000), "the server has the bytes");
            }
            pair.accepted().close();
            Check.thrown(SocketException.class, "Connection reset", () -> pair.client().read(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void aResetMakesTheChannelReadableAndTheReadFails() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open(); Selector selector = Selector.open()) {
            pair.accepted().configureBlocking(false);
            SelectionKey key = pair.accepted().register(selector, SelectionKey.OP_READ);
            pair.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.client().close();
            Check.equal(1, selector.select(5000), "keys selected");
            Check.isTrue(key.isReadable(), "readable after a reset");
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void writingToAResetConnectionFails() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.client().close();
            Check.thrown(IOException.class, () -> {
                // The first writes may be accepted before the reset is noticed; 1000 are plenty.
                for (int i = 0; i < 1000; i++) {
                    pair.accepted().write(Loopback.text("after the reset"));
                }
            });
        }
    }

    @Contract
    public static void aBlockedReadFailsWhenThePeerResets() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = Blocked.start(() -> pair.accepted().read(ByteBuffer.allocate(1)));
            pair.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.client().close();
            Check.equal("Connection reset", read.failure(SocketException.class).getMessage(), "message");
        }
    }

    @Contract
    public static void theSocketAdaptorStreamReportsTheReset() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().setOption(StandardSocketOptions.SO_LINGER, 0);
            pair.client().close();
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().socket().getInputStream().read());
        }
    }
}
