package io.jnetstack.spi;

import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link AsynchronousServerSocketChannel} over a listening {@link TcpEndpoint}, as the JDK's
 * {@code sun.nio.ch.UnixAsynchronousServerSocketChannelImpl}: one accept pending at a time, and
 * none after an accept's future was cancelled (a connection may have been taken and dropped).
 */
final class JnetstackAsynchronousServerSocketChannel extends AsynchronousServerSocketChannel {
    private final JnetstackAsynchronousChannelGroup group;
    private final TcpEndpoint endpoint;
    private final TcpSocketOptions options;
    private final Object stateLock = new Object();
    private volatile boolean open = true;
    private volatile boolean bound;
    private volatile boolean acceptKilled;
    private final AtomicBoolean accepting = new AtomicBoolean();
    private volatile PendingIo<AsynchronousSocketChannel> pendingAccept;

    JnetstackAsynchronousServerSocketChannel(JnetstackAsynchronousChannelGroup group, TcpEndpoint endpoint) {
        super(group.provider());
        this.group = group;
        this.endpoint = endpoint;
        endpoint.setOwner(getClass().getName()); // what Stack.connections() and ss show as its owner
        this.options = new TcpSocketOptions(this, endpoint, TcpSocketOptions.SERVER);
        endpoint.setReuseAddress(true); // the JDK's server sockets start with SO_REUSEADDR on
        JnetstackAsynchronousSocketChannel.join(group, this, endpoint);
    }

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (bound) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.forBind(local);
            SecurityChecks.checkListen(isa.getPort());
            endpoint.bind(Addresses.toStack(isa.getAddress()), isa.getPort());
            endpoint.listen(backlog < 1 ? JnetstackServerSocketChannel.DEFAULT_BACKLOG : backlog);
            bound = true;
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return bound ? SecurityChecks.revealed(Addresses.toSocketAddress(endpoint.localAddress(), endpoint.localPort())) : null;
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options.supported();
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        return startAccept(null, null);
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startAccept(attachment, handler);
    }

    /** The JDK's order of checks. */
    private <A> Future<AsynchronousSocketChannel> startAccept(A attachment,
                                                               CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        if (!open) {
            return PendingIo.endNow(group, null, new ClosedChannelException(), attachment, handler);
        }
        if (!bound) {
            throw new NotYetBoundException();
        }
        if (acceptKilled) {
            throw new RuntimeException("Accept not allowed due cancellation");
        }
        if (!accepting.compareAndSet(false, true)) {
            throw new AcceptPendingException();
        }
        PendingIo.Ending ending = (killed, failure) -> {
            acceptKilled |= killed;
            pendingAccept = null;
            accepting.set(false);
        };
        return PendingIo.launch(group, this, endpoint.waiterQueue(), Events.IN, this::acceptOnce, channel -> channel, ending,
                0, attachment, handler, op -> pendingAccept = op);
    }

    /** The next connection as a channel of this group, or null if none is waiting. */
    private AsynchronousSocketChannel acceptOnce() throws IOException {
        if (!open) {
            throw new AsynchronousCloseException();
        }
        TcpEndpoint connection = endpoint.accept();
        if (connection == null) {
            return null;
        }
        JnetstackAsynchronousSocketChannel accepted;
        try {
            accepted = JnetstackAsynchronousSocketChannel.accepted(group, connection);
        } catch (ShutdownChannelGroupException e) {
            throw new IOException(e); // as the JDK's: the connection is dropped, the accept fails
        }
        try {
            SecurityChecks.checkAccept(Addresses.toSocketAddress(connection.remoteAddress(), connection.remotePort()));
        } catch (SecurityException e) {
            accepted.close(); // the JDK closes a connection the security manager refuses
            throw e;
        }
        return accepted;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        synchronized (stateLock) {
            if (!open) {
                return;
            }
            open = false;
        }
        try {
            JnetstackServerSocketChannel.closeListener(endpoint);
            PendingIo<?> op = pendingAccept;
            if (op != null) {
                op.abandon(new AsynchronousCloseException());
            }
        } finally {
            group.detach(this); // even when the program shut the group's executor down itself
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return getClass().getSuperclass().getName() + "[" + (open ? (bound ? String.valueOf(
                Addresses.toSocketAddress(endpoint.localAddress(), endpoint.localPort())) : "unbound") : "closed") + "]";
    }
}
