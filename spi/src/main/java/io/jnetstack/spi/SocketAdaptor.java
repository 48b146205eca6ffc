package io.jnetstack.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Socket} that {@link JnetstackSocketChannel#socket()} returns: every public method
 * works on the channel, with the JDK adaptor's exceptions (sun.nio.ch.SocketAdaptor). Connects and
 * stream reads and writes need the channel in blocking mode.
 */
final class SocketAdaptor extends Socket implements AdaptorSocketImpl.Adaptor {
    private final JnetstackSocketChannel channel;
    private final AdaptorTimeout timeout;

    // Socket(SocketImpl) with null: no implementation, so no kernel socket is ever opened.
    private SocketAdaptor(JnetstackSocketChannel channel) throws SocketException {
        super((SocketImpl) null);
        this.channel = channel;
        this.timeout = new AdaptorTimeout(channel);
    }

    static SocketAdaptor create(JnetstackSocketChannel channel) {
        try {
            return new SocketAdaptor(channel);
        } catch (SocketException e) {
            throw new IllegalStateException("Socket(null) cannot fail", e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeoutMillis) throws IOException {
        if (remote == null) {
            throw new IllegalArgumentException("connect: The address can't be null");
        }
        if (remote instanceof InetSocketAddress isa && isa.isUnresolved()) {
            AdaptorOptions.ensureOpen(channel);
            if (channel.isConnected()) {
                throw new SocketException("Already connected");
            }
            close();
            throw new UnknownHostException(isa.getHostName());
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        SocketExceptions.call(() -> {
            channel.blockingConnect(remote, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            return null;
        });
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        SocketExceptions.call(() -> channel.bind(local));
    }

    @Override
    public InetAddress getInetAddress() {
        return Addresses.addressOf(channel.remoteAddress());
    }

    @Override
    public InetAddress getLocalAddress() {
        InetSocketAddress local = channel.isOpen() ? channel.localAddress() : null;
        return local != null ? local.getAddress() : new InetSocketAddress(0).getAddress();
    }

    @Override
    public int getPort() {
        return Addresses.portOf(channel.remoteAddress(), 0);
    }

    @Override
    public int getLocalPort() {
        return Addresses.portOf(channel.localAddress(), -1);
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return channel.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return channel.localAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return channel;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureStreamable();
        if (!channel.isInputOpen()) {
            throw new SocketException("Socket input is shutdown");
        }
        return new SocketAdaptorInputStream(channel, timeout);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureStreamable();
        if (!channel.isOutputOpen()) {
            throw new SocketException("Socket output is shutdown");
        }
        return new SocketAdaptorOutputStream(channel);
    }

    private void ensureStreamable() throws SocketException {
        AdaptorOptions.ensureOpen(channel);
        if (!channel.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_LINGER);
    }

    /** One byte of urgent data (TCP's URG), as the JDK's adaptor sends it: waiting for room in blocking mode. */
    @Override
    public void sendUrgentData(int data) throws IOException {
        if (channel.sendUrgentData((byte) data) == 0) {
            throw new SocketException("Socket buffer full");
        }
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        AdaptorOptions.set(channel, TcpSocketOptions.SO_OOBINLINE, on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return AdaptorOptions.get(channel, TcpSocketOptions.SO_OOBINLINE);
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
    public void setSendBufferSize(int size) throws SocketException {
        AdaptorOptions.setBufferSize(channel, StandardSocketOptions.SO_SNDBUF, size, "Invalid send size");
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        AdaptorOptions.setBufferSize(channel, StandardSocketOptions.SO_RCVBUF, size, "Invalid receive size");
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        AdaptorOptions.set(channel, StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return AdaptorOptions.get(channel, StandardSocketOptions.IP_TOS);
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
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        SocketExceptions.call(channel::shutdownInput);
    }

    @Override
    public void shutdownOutput() throws IOException {
        SocketExceptions.call(channel::shutdownOutput);
    }

    @Override
    public String toString() {
        if (channel.isConnected()) {
            return "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]";
        }
        return "Socket[unconnected]";
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public boolean isBound() {
        return channel.localAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return !channel.isInputOpen();
    }

    @Override
    public boolean isOutputShutdown() {
        return !channel.isOutputOpen();
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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
