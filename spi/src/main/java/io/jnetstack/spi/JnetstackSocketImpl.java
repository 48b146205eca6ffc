package io.jnetstack.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

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
final class JnetstackSocketImpl extends SocketImpl {
    private final JnetstackSelectorProvider provider;
    private SocketAdaptor socket;

    JnetstackSocketImpl(JnetstackSelectorProvider provider) {
        this.provider = provider;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("jnetstack: a datagram Socket (the deprecated Socket(..., false)) is not offered; use DatagramSocket");
        }
        JnetstackSocketChannel channel = (JnetstackSocketChannel) provider.openSocketChannel();
        channel.endpoint().setOwner(JnetstackSocketImpl.class.getName());
        socket = (SocketAdaptor) channel.socket();
    }

    /** Takes over a connection the server socket accepted, as create and connect would have left it. */
    void accepted(SocketAdaptor connection) {
        socket = connection;
        ((JnetstackSocketChannel) connection.getChannel()).endpoint().setOwner(JnetstackSocketImpl.class.getName());
        rememberAddresses();
    }

    private SocketAdaptor socket() throws SocketException {
        if (socket == null) {
            throw new SocketException("Socket is not created");
        }
        return socket;
    }

    /** Socket reads the addresses from SocketImpl's fields. */
    private void rememberAddresses() {
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
        socket().connect(remote, timeoutMillis);
        rememberAddresses();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        socket().bind(new InetSocketAddress(host, port));
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
        return socket().getInputStream();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        return socket().getOutputStream();
    }

    @Override
    protected int available() throws IOException {
        JnetstackSocketChannel channel = (JnetstackSocketChannel) socket().getChannel();
        return SocketExceptions.call(channel::available);
    }

    @Override
    protected void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    protected void shutdownInput() throws IOException {
        socket().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        socket().shutdownOutput();
    }

    @Override
    protected boolean supportsUrgentData() {
        return true;
    }

    /** As NioSocketImpl: on a closed socket a SocketException (the adaptor lets the channel's exception through). */
    @Override
    protected void sendUrgentData(int data) throws IOException {
        try {
            socket().sendUrgentData(data);
        } catch (ClosedChannelException e) {
            throw (SocketException) new SocketException("Socket closed").initCause(e);
        }
    }

    /** The java.net options by their old integer names (SocketOptions), with Socket's value conventions. */
    @Override
    public void setOption(int id, Object value) throws SocketException {
        SocketAdaptor s = socket();
        switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.setSoTimeout((Integer) value);
            case SocketOptions.TCP_NODELAY -> s.setTcpNoDelay((Boolean) value);
            // Socket.setSoLinger passes Boolean.FALSE for off, else the seconds
            case SocketOptions.SO_LINGER -> s.setSoLinger(value instanceof Integer, value instanceof Integer i ? i : 0);
            case SocketOptions.SO_SNDBUF -> s.setSendBufferSize((Integer) value);
            case SocketOptions.SO_RCVBUF -> s.setReceiveBufferSize((Integer) value);
            case SocketOptions.SO_KEEPALIVE -> s.setKeepAlive((Boolean) value);
            case SocketOptions.SO_REUSEADDR -> s.setReuseAddress((Boolean) value);
            case SocketOptions.IP_TOS -> s.setTrafficClass((Integer) value);
            case SocketOptions.SO_OOBINLINE -> s.setOOBInline((Boolean) value);
            default -> throw new SocketException("Unknown option " + id);
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        SocketAdaptor s = socket();
        return switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.getSoTimeout();
            case SocketOptions.TCP_NODELAY -> s.getTcpNoDelay();
            case SocketOptions.SO_LINGER -> {
                int seconds = s.getSoLinger();
                yield seconds >= 0 ? (Object) seconds : Boolean.FALSE;
            }
            case SocketOptions.SO_SNDBUF -> s.getSendBufferSize();
            case SocketOptions.SO_RCVBUF -> s.getReceiveBufferSize();
            case SocketOptions.SO_KEEPALIVE -> s.getKeepAlive();
            case SocketOptions.SO_REUSEADDR -> s.getReuseAddress();
            case SocketOptions.IP_TOS -> s.getTrafficClass();
            case SocketOptions.SO_OOBINLINE -> s.getOOBInline();
            case SocketOptions.SO_BINDADDR -> s.getLocalAddress();
            default -> throw new SocketException("Unknown option " + id);
        };
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        socket().setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return socket().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        // Socket asks before create(); the options are a TCP client's either way.
        return socket != null ? socket.supportedOptions() : TcpSocketOptions.CLIENT;
    }
}
