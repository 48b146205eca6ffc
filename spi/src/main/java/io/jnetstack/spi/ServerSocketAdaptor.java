package io.jnetstack.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The {@link ServerSocket} that {@link JnetstackServerSocketChannel#socket()} returns: every
 * public method works on the channel, with the JDK adaptor's exceptions (sun.nio.ch.ServerSocketAdaptor).
 */
final class ServerSocketAdaptor extends ServerSocket implements AdaptorSocketImpl.Adaptor {
    private final JnetstackServerSocketChannel channel;
    private final AdaptorTimeout timeout;

    ServerSocketAdaptor(JnetstackServerSocketChannel channel) {
        super(new UnusedSocketImpl());
        this.channel = channel;
        this.timeout = new AdaptorTimeout(channel);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, JnetstackServerSocketChannel.DEFAULT_BACKLOG);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        SocketExceptions.call(() -> channel.bind(local, backlog));
    }

    @Override
    public InetAddress getInetAddress() {
        return Addresses.addressOf(channel.localAddress());
    }

    @Override
    public int getLocalPort() {
        return Addresses.portOf(channel.localAddress(), -1);
    }

    /** Waits at most SO_TIMEOUT; with none, also accepts in non-blocking mode when a connection is ready, as the JDK's. */
    @Override
    public Socket accept() throws IOException {
        return SocketExceptions.call(() -> {
            long timeoutNanos = timeout.nanos();
            if (timeoutNanos > 0) {
                return channel.blockingAccept(timeoutNanos);
            }
            SocketChannel accepted = channel.accept();
            if (accepted == null) {
                throw new IllegalBlockingModeException();
            }
            return accepted;
        }).socket();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return channel;
    }

    @Override
    public boolean isBound() {
        return channel.isBound();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void setSoTimeout(int millis) throws SocketException {
        timeout.set(millis);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return timeout.get();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        AdaptorOptions.setBufferSize(channel, StandardSocketOptions.SO_RCVBUF, size, "size cannot be 0 or negative");
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public String toString() {
        if (!isBound()) {
            return "ServerSocket[unbound]";
        }
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }
}
