package io.jnetstack.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The input stream of a {@link SocketAdaptor}: blocking reads that honour the socket's SO_TIMEOUT. */
final class SocketAdaptorInputStream extends InputStream {
    private final JnetstackSocketChannel channel;
    private final IntSupplier timeoutMillis;

    SocketAdaptorInputStream(JnetstackSocketChannel channel, IntSupplier timeoutMillis) {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n > 0 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return channel.blockingRead(b, off, len, TimeUnit.MILLISECONDS.toNanos(timeoutMillis.getAsInt()));
    }

    @Override
    public int available() throws IOException {
        return channel.available();
    }

    /** Closes the socket, as the JDK's socket streams do. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
