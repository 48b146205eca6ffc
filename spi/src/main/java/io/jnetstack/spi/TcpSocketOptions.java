package io.jnetstack.spi;

import io.jnetstack.transport.tcp.TcpEndpoint;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket options of one TCP channel, applied to its endpoint with the JDK's validation and
 * value conventions (SO_LINGER: -1 for off, at most 65535; the keep-alive timing in whole seconds).
 */
final class TcpSocketOptions {
    /**
     * SO_OOBINLINE, which the JDK's SocketChannel offers through its internal
     * sun.nio.ch.ExtendedSocketOption (a program finds it by name) and its socket adaptor's
     * setOOBInline uses: urgent data stays in the stream.
     */
    static final SocketOption<Boolean> SO_OOBINLINE = new SocketOption<>() {
        @Override
        public String name() {
            return "SO_OOBINLINE";
        }

        @Override
        public Class<Boolean> type() {
            return Boolean.class;
        }

        @Override
        public String toString() {
            return name();
        }
    };
    static final Set<SocketOption<?>> CLIENT = Set.of(StandardSocketOptions.TCP_NODELAY, SO_OOBINLINE,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS,
            ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);
    /** As the JDK's on Linux, a listener takes the keep-alive timing its connections inherit. */
    static final Set<SocketOption<?>> SERVER = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL,
            ExtendedSocketOptions.TCP_KEEPCOUNT);
    private static final int MAX_LINGER_SECONDS = 65535;
    // Linux's largest values (include/net/tcp.h: MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT).
    private static final int MAX_KEEPALIVE_SECONDS = 32767;
    private static final int MAX_KEEPALIVE_COUNT = 127;

    private final Channel channel;
    private final TcpEndpoint endpoint;
    private final Set<SocketOption<?>> supported;
    // Kept so that getOption returns what was set: the stack does not mark its packets' TOS byte.
    private volatile int typeOfService;

    TcpSocketOptions(Channel channel, TcpEndpoint endpoint, Set<SocketOption<?>> supported) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.supported = supported;
    }

    Set<SocketOption<?>> supported() {
        return supported;
    }

    /**
     * Checks {@code name} and {@code value} as the JDK does and applies the value.
     *
     * @throws SocketException "Invalid argument" for a keep-alive value out of Linux's range, as setsockopt's EINVAL
     */
    synchronized <T> void set(SocketOption<T> name, T value) throws IOException {
        SocketOptionChecks.checkSet(name, value, supported);
        ensureOpen();
        if (name == ExtendedSocketOptions.TCP_KEEPIDLE || name == ExtendedSocketOptions.TCP_KEEPINTERVAL
                || name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            setKeepaliveTiming(name, (Integer) value);
            return;
        }
        if (name == StandardSocketOptions.TCP_NODELAY) {
            endpoint.setNoDelay((Boolean) value);
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            endpoint.setKeepAlive((Boolean) value);
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            endpoint.setReceiveBufferSize((Integer) value);
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            endpoint.setSendBufferSize((Integer) value);
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            endpoint.setLinger(seconds < 0 ? -1 : Math.min(seconds, MAX_LINGER_SECONDS));
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            endpoint.setReuseAddress((Boolean) value);
        } else if (name == SO_OOBINLINE) {
            endpoint.setOobInline((Boolean) value);
        } else {
            typeOfService = (Integer) value;
        }
    }

    private void setKeepaliveTiming(SocketOption<?> name, int value) throws SocketException {
        int largest = name == ExtendedSocketOptions.TCP_KEEPCOUNT ? MAX_KEEPALIVE_COUNT : MAX_KEEPALIVE_SECONDS;
        if (value < 1 || value > largest) {
            throw new SocketException("Invalid argument");
        }
        Duration idle = name == ExtendedSocketOptions.TCP_KEEPIDLE ? Duration.ofSeconds(value) : endpoint.keepaliveIdle();
        Duration interval = name == ExtendedSocketOptions.TCP_KEEPINTERVAL ? Duration.ofSeconds(value) : endpoint.keepaliveInterval();
        int count = name == ExtendedSocketOptions.TCP_KEEPCOUNT ? value : endpoint.keepaliveCount();
        endpoint.setKeepaliveParameters(idle, interval, count);
    }

    @SuppressWarnings("unchecked")
    synchronized <T> T get(SocketOption<T> name) throws ClosedChannelException {
        SocketOptionChecks.checkSupported(name, supported);
        ensureOpen();
        Object value;
        if (name == StandardSocketOptions.TCP_NODELAY) {
            value = endpoint.noDelay();
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            value = endpoint.keepAlive();
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            value = endpoint.receiveBufferSize();
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            value = endpoint.sendBufferSize();
        } else if (name == StandardSocketOptions.SO_LINGER) {
            value = endpoint.linger();
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            value = endpoint.reuseAddress();
        } else if (name == SO_OOBINLINE) {
            value = endpoint.oobInline();
        } else if (name == ExtendedSocketOptions.TCP_KEEPIDLE) {
            value = (int) endpoint.keepaliveIdle().toSeconds();
        } else if (name == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            value = (int) endpoint.keepaliveInterval().toSeconds();
        } else if (name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            value = endpoint.keepaliveCount();
        } else {
            value = typeOfService;
        }
        return (T) value;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
