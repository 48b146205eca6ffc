package io.jnetstack.spi;

import java.io.IOException;
import java.io.InputStream;

/** The input stream of a {@link SocketAdaptor}: blocking reads that honour the socket's SO_TIMEOUT. */
final class SocketAdaptorInputStream extends InputStream {
    private final JnetstackSocketChannel channel;
    private final AdaptorTimeout timeout;

    SocketAdaptorInputStream(JnetstackSocketChannel channel, AdaptorTimeout timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n > 0 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return channel.blockingRead(b, off, len, timeout.nanos());
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
