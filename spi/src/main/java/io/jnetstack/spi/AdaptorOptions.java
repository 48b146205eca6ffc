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

    static <T> T get(NetworkChannel channel, SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (IOException x) {
            throw SocketExceptions.translate(x);
        }
    }
}
