package io.jnetstack.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The server side of the peers' wire protocol, on one thread with one {@link Selector} and only
 * non-blocking channels, so it exercises the provider's selector as a typical NIO server does.
 *
 * <p>Data port: the first byte chooses the job. {@code 'B'}: count every byte up to the client's
 * half-close, answer the count as an 8-byte big-endian number, close. {@code 'R'}: echo everything
 * until end of stream. Connect port (data port + 1): accept and close at once, so the client sees
 * end of stream and the server side holds TIME_WAIT.
 */
final class NioServer implements Runnable, AutoCloseable {
    static final byte BULK = 'B';
    static final byte ECHO = 'R';
    private static final int NO_OPCODE = -1;
    /** How long one select may block, so a stop request is noticed even on an idle server. */
    private static final long SELECT_TIMEOUT_MILLIS = 200;
    /** Large enough that a bulk receive drains a full loopback window in a few reads. */
    private static final int RECEIVE_BUFFER_BYTES = 256 << 10;

    private final Selector selector;
    private final ServerSocketChannel data;
    private final ServerSocketChannel connects;
    private final long deadlineNanos;
    private volatile boolean stopRequested;

    /** Per-connection protocol state, attached to its selection key. */
    private static final class Connection {
        int opcode = NO_OPCODE;
        long bulkBytes;
        ByteBuffer pendingOutput;
        boolean closeWhenFlushed;
    }

    /** Binds {@code address} (data) and the next port (connects); serves at most {@code maxSeconds}. */
    NioServer(InetSocketAddress address, double maxSeconds) throws IOException {
        selector = Selector.open();
        data = listen(address);
        connects = listen(new InetSocketAddress(address.getAddress(), address.getPort() + 1));
        data.register(selector, SelectionKey.OP_ACCEPT);
        connects.register(selector, SelectionKey.OP_ACCEPT);
        deadlineNanos = System.nanoTime() + (long) (maxSeconds * 1e9);
    }

    private static ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel ssc = ServerSocketChannel.open();
        ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        // A deep backlog, so the connect workload never waits for the accept loop.
        ssc.bind(address, 1024);
        ssc.configureBlocking(false);
        return ssc;
    }

    /** Asks the serving thread to return; takes effect within one select timeout. */
    void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
        try {
            while (!stopRequested && System.nanoTime() < deadlineNanos) {
                selector.select(SELECT_TIMEOUT_MILLIS);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    handle(key, readBuffer);
                }
            }
        } catch (IOException e) {
            System.err.println("NioServer: select failed: " + e);
        }
    }

    private void handle(SelectionKey key, ByteBuffer readBuffer) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isAcceptable()) {
                acceptAll(key);
                return;
            }
            if (key.isWritable()) {
                flush(key);
            }
            if (key.isValid() && key.isReadable()) {
                read(key, readBuffer);
            }
        } catch (IOException e) {
            // One broken connection must not stop the server: drop it and serve the others.
            closeQuietly(key);
        }
    }

    private void acceptAll(SelectionKey key) throws IOException {
        ServerSocketChannel listener = (ServerSocketChannel) key.channel();
        SocketChannel accepted;
        while ((accepted = listener.accept()) != null) {
            if (listener == connects) {
                accepted.close();
                continue;
            }
            accepted.configureBlocking(false);
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            accepted.register(selector, SelectionKey.OP_READ, new Connection());
        }
    }

    private void read(SelectionKey key, ByteBuffer buffer) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection conn = (Connection) key.attachment();
        // Bulk drains everything readable now; echo handles one read and waits for the next request.
        while (true) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                endOfStream(key, conn);
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            if (conn.opcode == NO_OPCODE) {
                conn.opcode = buffer.get();
            }
            if (conn.opcode == BULK) {
                conn.bulkBytes += buffer.remaining();
            } else if (conn.opcode == ECHO) {
                echo(key, conn, buffer);
                return;
            } else {
                throw new IOException("unknown opcode " + conn.opcode);
            }
        }
    }

    private void echo(SelectionKey key, Connection conn, ByteBuffer buffer) throws IOException {
        if (!buffer.hasRemaining()) {
            return;
        }
        ((SocketChannel) key.channel()).write(buffer);
        if (buffer.hasRemaining()) {
            conn.pendingOutput = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private void endOfStream(SelectionKey key, Connection conn) throws IOException {
        if (conn.opcode == BULK) {
            conn.pendingOutput = ByteBuffer.allocate(Long.BYTES).putLong(conn.bulkBytes).flip();
            conn.closeWhenFlushed = true;
            flush(key);
        } else {
            closeQuietly(key);
        }
    }

    private void flush(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection conn = (Connection) key.attachment();
        if (conn.pendingOutput != null) {
            channel.write(conn.pendingOutput);
            if (conn.pendingOutput.hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            conn.pendingOutput = null;
        }
        if (conn.closeWhenFlushed) {
            closeQuietly(key);
            return;
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // Already broken; nothing more to release.
        }
    }

    /** Closes every channel and the selector; call after the serving thread has returned. */
    @Override
    public void close() throws IOException {
        stop();
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key);
        }
        selector.close();
    }
}
