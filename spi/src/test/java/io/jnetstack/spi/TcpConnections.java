package io.jnetstack.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** TCP channels over loopback for tests: listeners, connected pairs, and filling a connection whose peer never reads. */
final class TcpConnections {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final SelectorProvider provider;
    private final Closer closer;

    TcpConnections(SelectorProvider provider, Closer closer) {
        this.provider = provider;
        this.closer = closer;
    }

    /** Both ends of one connection, in blocking mode. */
    record Pair(SocketChannel client, SocketChannel server) {
    }

    ServerSocketChannel listener() throws IOException {
        return closer.add(provider.openServerSocketChannel()).bind(new InetSocketAddress(LOOPBACK, 0));
    }

    SocketChannel open() throws IOException {
        return closer.add(provider.openSocketChannel());
    }

    Pair pair() throws IOException {
        ServerSocketChannel listener = listener();
        SocketChannel client = open();
        client.connect(listener.getLocalAddress());
        SocketChannel server = closer.add(listener.accept());
        listener.close();
        return new Pair(client, server);
    }

    /** More than any connection buffers: a blocking write of this many bytes blocks once the peer stops reading. */
    static final int MORE_THAN_BUFFERS_HOLD = 64 << 20;

    /** Writes without blocking until the connection takes nothing more, then makes the channel blocking again; returns the bytes it took. */
    static long fill(SocketChannel writer) throws IOException {
        writer.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long written = 0;
        for (int n; (n = writer.write(chunk.clear())) > 0; ) {
            written += n;
            if (written >= MORE_THAN_BUFFERS_HOLD) {
                throw new AssertionError("a peer that never reads took " + written + " bytes");
            }
        }
        writer.configureBlocking(true);
        return written;
    }
}
