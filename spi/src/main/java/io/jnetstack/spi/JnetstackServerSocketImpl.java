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

/**
 * What {@code new ServerSocket()} runs on once {@link JavaNetSockets} installed its factory: one
 * jnetstack listening channel driven through its server socket adaptor (SO_TIMEOUT, the JDK's
 * exceptions). Accepted connections go into the {@link JnetstackSocketImpl} that ServerSocket
 * gets from Socket's factory, which {@link JavaNetSockets} installs together with this one.
 */
final class JnetstackServerSocketImpl extends AdaptorSocketImpl<ServerSocketAdaptor> {
    private final JnetstackSelectorProvider provider;
    /** What ServerSocket's bind asked for; the channel binds and listens in one step, at listen. */
    private InetSocketAddress bindAddress;

    JnetstackServerSocketImpl(JnetstackSelectorProvider provider) {
        super(TcpSocketOptions.SERVER);
        this.provider = provider;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        JnetstackServerSocketChannel channel = (JnetstackServerSocketChannel) provider.openServerSocketChannel();
        channel.endpoint().setOwner(JnetstackServerSocketImpl.class.getName());
        drive((ServerSocketAdaptor) channel.socket());
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        adaptor();
        bindAddress = new InetSocketAddress(host, port);
    }

    @Override
    protected void listen(int backlog) throws IOException {
        if (bindAddress == null) {
            throw new SocketException("Socket is not bound yet");
        }
        ServerSocketAdaptor socket = adaptor();
        socket.bind(bindAddress, backlog);
        // ServerSocket reports the address it asked for (as NioSocketImpl keeps it) and the port it got.
        address = bindAddress.getAddress();
        localport = socket.getLocalPort();
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        if (!(s instanceof JnetstackSocketImpl connection)) {
            throw new IOException("jnetstack: a ServerSocket on jnetstack accepts only into a jnetstack Socket, not "
                    + s.getClass().getName());
        }
        connection.accepted((SocketAdaptor) adaptor().accept());
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw notAConnection();
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw notAConnection();
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw notAConnection();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw notAConnection();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw notAConnection();
    }

    @Override
    protected int available() throws IOException {
        throw notAConnection();
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw notAConnection();
    }

    private static SocketException notAConnection() {
        return new SocketException("jnetstack: a server socket has no connection");
    }

    @Override
    public void setOption(int id, Object value) throws SocketException {
        setCommonOption(id, value);
    }

    @Override
    public Object getOption(int id) throws SocketException {
        return id == SocketOptions.SO_BINDADDR ? adaptor().getInetAddress() : commonOption(id);
    }
}
