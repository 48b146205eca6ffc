package io.jnetstack.compat.contract;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Asynchronous endpoints on 127.0.0.1 that contracts start from, opened through the JVM's default provider. */
public final class AsyncLoopback {
    /** How long a contract waits for an operation that must complete; far above what it takes. */
    public static final long LIMIT_SECONDS = 5;

    private AsyncLoopback() {
    }

    /** A server channel of {@code group} (null: the default group) listening on an ephemeral port of 127.0.0.1. */
    public static AsynchronousServerSocketChannel listen(AsynchronousChannelGroup group) throws IOException {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group);
        server.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
        return server;
    }

    /** The result of {@code future}, which must come within {@link #LIMIT_SECONDS}. */
    public static <V> V await(Future<V> future) throws Exception {
        return future.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A connected pair of asynchronous channels in {@code group}, and the server that accepted one. */
    public record Pair(AsynchronousServerSocketChannel server, AsynchronousSocketChannel client,
                       AsynchronousSocketChannel accepted) implements AutoCloseable {
        public static Pair open(AsynchronousChannelGroup group) throws Exception {
            AsynchronousServerSocketChannel server = listen(group);
            AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group);
            Future<AsynchronousSocketChannel> accepting = server.accept();
            await(client.connect(server.getLocalAddress()));
            return new Pair(server, client, await(accepting));
        }

        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
        }
    }

    /** Writes all of {@code text}, one future at a time. */
    public static void writeText(AsynchronousSocketChannel channel, String text) throws Exception {
        ByteBuffer buffer = Loopback.text(text);
        while (buffer.hasRemaining()) {
            await(channel.write(buffer));
        }
    }

    /** Reads exactly {@code length} bytes, failing at an early end of stream. */
    public static String readText(AsynchronousSocketChannel channel, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (await(channel.read(buffer)) < 0) {
                throw new AssertionError("end of stream after " + buffer.position() + " of " + length + " bytes");
            }
        }
        return new String(buffer.array(), StandardCharsets.UTF_8);
    }

    /**
     * A write of the client left pending because its peer never reads: small buffers on both
     * sides, then writes until one stays pending while the peer's window is shut. Bounded by a
     * count; the short wait only tells a pending write from one the window was still taking.
     */
    public static Future<Integer> pendingWrite(Pair pair) throws Exception {
        pair.client().setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        pair.accepted().setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 10_000; i++) {
            Future<Integer> write = pair.client().write(chunk.clear());
            try {
                write.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillPending) {
                return write;
            }
        }
        throw new AssertionError("10000 writes of 64 KiB all completed though the peer never reads");
    }
}
