package io.jnetstack.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * What {@code new Socket()} runs on once {@link JavaNetSockets} installed its factory: one
 * jnetstack TCP channel, in blocking mode, driven through its socket adaptor, so a plain socket's
 * timeouts, exceptions and options are those of the adaptor (which follows the JDK's). The
 * {@link java.net.Socket} in front checks its own state (closed, connected, shut down) before
 * calling here, as it does with the JDK's {@code NioSocketImpl}.
 *
 * <p>A client's channel is opened by {@link #create}; an accepted one is handed over by
 * {@link JnetstackServerSocketImpl#accept}.
 */
final class JnetstackSocketImpl extends AdaptorSocketImpl<SocketAdaptor> {
    private final JnetstackSelectorProvider provider;

    JnetstackSocketImpl(JnetstackSelectorProvider provider) {
        super(TcpSocketOptions.CLIENT); // Socket asks before create(); the options are a TCP client's either way
        this.provider = provider;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("jnetstack: a datagram Socket (the deprecated Socket(..., false)) is not offered; use DatagramSocket");
        }
        JnetstackSocketChannel channel = (JnetstackSocketChannel) provider.openSocketChannel();
        channel.endpoint().setOwner(JnetstackSocketImpl.class.getName());
        drive((SocketAdaptor) channel.socket());
    }

    /** Takes over a connection the server socket accepted, as create and connect would have left it. */
    void accepted(SocketAdaptor connection) throws SocketException {
        drive(connection);
        ((JnetstackSocketChannel) connection.getChannel()).endpoint().setOwner(JnetstackSocketImpl.class.getName());
        rememberAddresses();
    }

    /** Socket reads the addresses from SocketImpl's fields. */
    private void rememberAddresses() throws SocketException {
        SocketAdaptor socket = adaptor();
        localport = socket.getLocalPort();
        if (socket.isConnected()) {
            address = socket.getInetAddress();
            port = socket.getPort();
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    /** As NioSocketImpl: an unresolved address fails before anything is tried, without closing the socket. */
    @Override
    protected void connect(SocketAddress remote, int timeoutMillis) throws IOException {
        if (!(remote instanceof InetSocketAddress isa)) {
            throw new IOException("Unsupported address type");
        }
        if (isa.isUnresolved()) {
            throw new UnknownHostException(isa.getHostName());
        }
        adaptor().connect(remote, timeoutMillis);
        rememberAddresses();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        adaptor().bind(new InetSocketAddress(host, port));
        rememberAddresses();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("jnetstack: listen on a client socket; use ServerSocket");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("jnetstack: accept on a client socket; use ServerSocket");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        return adaptor().getInputStream();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        return adaptor().getOutputStream();
    }

    @Override
    protected int available() throws IOException {
        JnetstackSocketChannel channel = (JnetstackSocketChannel) adaptor().getChannel();
        return SocketExceptions.call(channel::available);
    }

    @Override
    protected void shutdownInput() throws IOException {
        adaptor().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        adaptor().shutdownOutput();
    }

    @Override
    protected boolean supportsUrgentData() {
        return true;
    }

    /** As NioSocketImpl: on a closed socket a SocketException (the adaptor lets the channel's exception through). */
    @Override
    protected void sendUrgentData(int data) throws IOException {
        try {
            adaptor().sendUrgentData(data);
        } catch (ClosedChannelException e) {
            throw (SocketException) new SocketException("Socket closed").initCause(e);
        }
    }

    /** The java.net options by their old integer names (SocketOptions), with Socket's value conventions. */
    @Override
    public void setOption(int id, Object value) throws SocketException {
        SocketAdaptor s = adaptor();
        switch (id) {
            case SocketOptions.TCP_NODELAY -> s.setTcpNoDelay((Boolean) value);
            // Socket.setSoLinger passes Boolean.FALSE for off, else the seconds
            case SocketOptions.SO_LINGER -> s.setSoLinger(value instanceof Integer, value instanceof Integer i ? i : 0);
            case SocketOptions.SO_SNDBUF -> s.setSendBufferSize((Integer) value);
            case SocketOptions.SO_KEEPALIVE -> s.setKeepAlive((Boolean) value);
            case SocketOptions.IP_TOS -> s.setTrafficClass((Integer) value);
            case SocketOptions.SO_OOBINLINE -> s.setOOBInline((Boolean) value);
            default -> setCommonOption(id, value);
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        SocketAdaptor s = adaptor();
        return switch (id) {
            case SocketOptions.TCP_NODELAY -> s.getTcpNoDelay();
            case SocketOptions.SO_LINGER -> {
                int seconds = s.getSoLinger();
                yield seconds >= 0 ? (Object) seconds : Boolean.FALSE;
            }
            case SocketOptions.SO_SNDBUF -> s.getSendBufferSize();
            case SocketOptions.SO_KEEPALIVE -> s.getKeepAlive();
            case SocketOptions.IP_TOS -> s.getTrafficClass();
            case SocketOptions.SO_OOBINLINE -> s.getOOBInline();
            case SocketOptions.SO_BINDADDR -> s.getLocalAddress();
            default -> commonOption(id);
        };
    }
}
