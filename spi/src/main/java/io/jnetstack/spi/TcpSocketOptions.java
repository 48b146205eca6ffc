package io.jnetstack.spi;

import io.jnetstack.transport.tcp.TcpEndpoint;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * The socket options of one TCP channel, applied to its endpoint with the JDK's validation and
 * value conventions (SO_LINGER: -1 for off, at most 65535).
 */
final class TcpSocketOptions {
    static final Set<SocketOption<?>> CLIENT = Set.of(StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS);
    static final Set<SocketOption<?>> SERVER = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR);
    private static final int MAX_LINGER_SECONDS = 65535;

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

    /** Checks {@code name} and {@code value} as the JDK does and applies the value. */
    synchronized <T> void set(SocketOption<T> name, T value) throws ClosedChannelException {
        SocketOptionChecks.checkSet(name, value, supported);
        ensureOpen();
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
        } else {
            typeOfService = (Integer) value;
        }
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
