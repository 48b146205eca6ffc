package io.jnetstack.compat.contract;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** TCP resets: abortive close (SO_LINGER 0, unread data) and what the peer then sees. */
public final class TcpResetContracts {
    private TcpResetContracts() {
    }

    /** Closes {@code channel} abortively: SO_LINGER 0 makes the close send a reset. */
    private static void abort(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @Contract
    public static void closingWithLingerZeroResetsThePeer() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            abort(pair.client());
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void aWriteAfterTheResetWasReadFindsABrokenPipe() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            abort(pair.client());
            // The blocking read waits for the reset (jnetstack's loopback delivers on its own thread)
            // and reports it; a write after that finds the pipe broken on both providers.
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
            Check.thrown(IOException.class, "Broken pipe", () -> pair.accepted().write(Loopback.text("x")));
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
            abort(pair.client());
            Check.equal(1, selector.select(5000), "keys selected");
            Check.isTrue(key.isReadable(), "readable after a reset");
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().read(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void writingToAResetConnectionFails() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            abort(pair.client());
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            Check.thrown(IOException.class, () -> {
                // Writes may be accepted before the reset arrives (jnetstack's loopback delivers it on
                // its own thread). 64 MiB is more than any send buffer holds, so a blocking write
                // waits at the latest once the buffer is full, and the arriving reset ends it.
                for (int i = 0; i < 1024; i++) {
                    pair.accepted().write(chunk.clear());
                }
            });
        }
    }

    @Contract
    public static void aBlockedReadFailsWhenThePeerResets() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = Blocked.start(() -> pair.accepted().read(ByteBuffer.allocate(1)));
            abort(pair.client());
            Check.equal("Connection reset", read.failure(SocketException.class).getMessage(), "message");
        }
    }

    @Contract
    public static void theSocketAdaptorStreamReportsTheReset() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            abort(pair.client());
            Check.thrown(SocketException.class, "Connection reset", () -> pair.accepted().socket().getInputStream().read());
        }
    }
}
