package io.jnetstack.spi;

import java.net.SocketException;
import java.nio.channels.NetworkChannel;
import java.util.concurrent.TimeUnit;

/**
 * SO_TIMEOUT of a socket adaptor. Channels have no such option, so the adaptor keeps it; it is
 * set and read as the JDK's adaptors do (the socket open, the value not negative) and bounds the
 * adaptor's blocking waits (0: no bound).
 */
final class AdaptorTimeout {
    private final NetworkChannel channel;
    private volatile int millis;

    AdaptorTimeout(NetworkChannel channel) {
        this.channel = channel;
    }

    void set(int timeout) throws SocketException {
        AdaptorOptions.ensureOpen(channel);
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        millis = timeout;
    }

    int get() throws SocketException {
        AdaptorOptions.ensureOpen(channel);
        return millis;
    }

    /** The timeout for a wait, in nanoseconds; 0 for none. */
    long nanos() {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
