package io.jnetstack.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The client's I/O primitives in one of two styles: blocking channels, or non-blocking channels
 * that wait for readiness on one {@link Selector}. The workloads are written once against these
 * primitives, so the two styles differ only in how they wait.
 */
final class ClientChannels implements AutoCloseable {
    /** How the client waits for a channel. */
    enum Style {
        SELECTOR, BLOCKING;

        static Style parse(String s) {
            return switch (s) {
                case "selector" -> SELECTOR;
                case "blocking" -> BLOCKING;
                default -> throw new IllegalArgumentException("--io wants selector or blocking, got '" + s + "'");
            };
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Style style;
    private final Selector selector;

    ClientChannels(Style style) throws IOException {
        this.style = style;
        this.selector = style == Style.SELECTOR ? Selector.open() : null;
    }

    Style style() {
        return style;
    }

    /** A connected channel with Nagle off (every workload is latency-sensitive at some point). */
    SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (style == Style.BLOCKING) {
                channel.connect(address);
                return channel;
            }
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                do {
                    awaitReady(channel, SelectionKey.OP_CONNECT);
                } while (!channel.finishConnect());
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    void writeFully(SocketChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0 && style == Style.SELECTOR) {
                awaitReady(channel, SelectionKey.OP_WRITE);
            }
        }
    }

    /**
     * Fills {@code dst}; returns false if the stream ended before the first byte, and fails if it
     * ended part-way. With {@code waitFirst} a selector client waits for readiness before its first
     * read: a request/response client knows the answer is not there yet, and a read that returns
     * 0 would only cost a system call.
     */
    boolean readFully(SocketChannel channel, ByteBuffer dst, boolean waitFirst) throws IOException {
        int start = dst.position();
        if (waitFirst && style == Style.SELECTOR) {
            awaitReady(channel, SelectionKey.OP_READ);
        }
        while (dst.hasRemaining()) {
            int n = channel.read(dst);
            if (n < 0) {
                if (dst.position() == start) {
                    return false;
                }
                throw new EOFException("stream ended after " + (dst.position() - start) + " of "
                        + (dst.limit() - start) + " bytes");
            }
            if (n == 0) {
                awaitReady(channel, SelectionKey.OP_READ);
            }
        }
        return true;
    }

    /** Reads and discards until end of stream. */
    void drainToEnd(SocketChannel channel, ByteBuffer scratch) throws IOException {
        while (true) {
            if (style == Style.SELECTOR) {
                awaitReady(channel, SelectionKey.OP_READ);
            }
            scratch.clear();
            if (channel.read(scratch) < 0) {
                return;
            }
        }
    }

    private void awaitReady(SocketChannel channel, int ops) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, ops);
        } else if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
        while (true) {
            selector.select();
            boolean ready = selector.selectedKeys().remove(key);
            selector.selectedKeys().clear();
            if (ready) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (selector != null) {
            selector.close();
        }
    }
}
