package io.jnetstack.spi;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/** How the socket adaptors set and get their channel's options: the java.net API reports a SocketException. */
final class AdaptorOptions {
    private AdaptorOptions() {
    }

    static <T> void set(NetworkChannel channel, SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (IOException x) {
            throw SocketExceptions.translate(x);
        }
    }

    /**
     * Sets SO_SNDBUF or SO_RCVBUF, refusing a size below 1 with the IllegalArgumentException
     * message the JDK's adaptor of that kind uses.
     */
    static void setBufferSize(NetworkChannel channel, SocketOption<Integer> name, int size, String invalidMessage)
            throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException(invalidMessage);
        }
        set(channel, name, size);
    }

    static void ensureOpen(NetworkChannel channel) throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }

    static <T> T get(NetworkChannel channel, SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (IOException x) {
            throw SocketExceptions.translate(x);
        }
    }
}
