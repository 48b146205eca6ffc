package io.jnetstack.spi;

import java.io.IOException;
import java.io.OutputStream;

/** The output stream of a {@link SocketAdaptor}: each write returns once all its bytes are in the send buffer. */
final class SocketAdaptorOutputStream extends OutputStream {
    private final JnetstackSocketChannel channel;

    SocketAdaptorOutputStream(JnetstackSocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        channel.blockingWriteFully(b, off, len);
    }

    /** Closes the socket, as the JDK's socket streams do. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
