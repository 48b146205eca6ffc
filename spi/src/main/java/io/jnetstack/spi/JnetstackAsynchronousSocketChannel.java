package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.waiter.Events;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.WritePendingException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * An {@link AsynchronousSocketChannel} over a {@link TcpEndpoint}, with the checks, states and
 * exceptions of the JDK's {@code sun.nio.ch.AsynchronousSocketChannelImpl}: one read and one
 * write may be pending at a time; a read or write that timed out or whose future was cancelled
 * leaves that direction refused ({@code IllegalStateException}), since bytes may have moved; a
 * failed connect closes the channel. Each pending operation is a {@link PendingIo} on the
 * endpoint's waiter queue, completed on the group's threads.
 */
final class JnetstackAsynchronousSocketChannel extends AsynchronousSocketChannel {
    /** As the JDK's on Linux, without SO_LINGER and IP_TOS, which its asynchronous channels do not offer. */
    static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.TCP_NODELAY,
            ExtendedSocketOptions.TCP_KEEPIDLE, ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);

    private enum State { UNCONNECTED, PENDING, CONNECTED }

    private final JnetstackAsynchronousChannelGroup group;
    private final TcpEndpoint endpoint;
    private final TcpConnectionIo io;
    private final TcpSocketOptions options;

    private final Object stateLock = new Object();
    private State state = State.UNCONNECTED; // guarded by stateLock
    private volatile boolean open = true;
    // Set once connected, as the JDK's: null while a connect is pending.
    private volatile InetSocketAddress remoteAddress;
    private volatile PendingIo<Boolean> pendingConnect;

    private final Object readLock = new Object();
    private boolean reading; // guarded by readLock
    private boolean readKilled; // guarded by readLock
    private volatile boolean readShutdown;
    private volatile PendingIo<?> pendingRead;

    private final Object writeLock = new Object();
    private boolean writing; // guarded by writeLock
    private boolean writeKilled; // guarded by writeLock
    private volatile boolean writeShutdown;
    private volatile PendingIo<?> pendingWrite;

    /** A new, unconnected channel in {@code group}. */
    JnetstackAsynchronousSocketChannel(JnetstackAsynchronousChannelGroup group, TcpEndpoint endpoint) {
        super(group.provider());
        this.group = group;
        this.endpoint = endpoint;
        endpoint.setOwner(getClass().getName()); // what Stack.connections() and ss show as its owner
        this.io = new TcpConnectionIo(endpoint, false); // asynchronous channels are dual-stack, as the JDK's
        this.options = new TcpSocketOptions(this, endpoint, OPTIONS);
        join(group, this, endpoint);
    }

    /**
     * Makes {@code channel}, a new channel over {@code endpoint}, one of {@code group}'s.
     *
     * @throws ShutdownChannelGroupException after closing the endpoint, if the group is shut down
     */
    static void join(JnetstackAsynchronousChannelGroup group, Closeable channel, TcpEndpoint endpoint) {
        try {
            group.attach(channel);
        } catch (ShutdownChannelGroupException e) {
            endpoint.close();
            throw e;
        }
    }

    /** A channel for a connection a listener accepted. */
    static JnetstackAsynchronousSocketChannel accepted(JnetstackAsynchronousChannelGroup group, TcpEndpoint connection) {
        JnetstackAsynchronousSocketChannel channel = new JnetstackAsynchronousSocketChannel(group, connection);
        synchronized (channel.stateLock) {
            channel.state = State.CONNECTED;
        }
        channel.remoteAddress = Addresses.toSocketAddress(connection.remoteAddress(), connection.remotePort());
        return channel;
    }

    /** The connection under this channel, for tests that look at its waiter queue. */
    TcpEndpoint endpoint() {
        return endpoint;
    }

    // ---- addresses ----

    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            io.bind(local, state == State.PENDING);
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        IpAddress local = endpoint.localAddress();
        return local == null ? null : SecurityChecks.revealed(Addresses.toSocketAddress(local, endpoint.localPort()));
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    // ---- options ----

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    // ---- connect ----

    @Override
    public Future<Void> connect(SocketAddress remote) {
        return startConnect(remote, null, null);
    }

    @Override
    public <A> void connect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startConnect(remote, attachment, handler);
    }

    private <A> Future<Void> startConnect(SocketAddress remote, A attachment, CompletionHandler<Void, ? super A> handler) {
        if (!open) {
            return PendingIo.endNow(group, null, new ClosedChannelException(), attachment, handler);
        }
        InetSocketAddress target = JnetstackSocketChannel.checkRemote(remote, false);
        synchronized (stateLock) {
            if (state == State.CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == State.PENDING) {
                throw new ConnectionPendingException();
            }
            state = State.PENDING;
        }
        try {
            endpoint.connect(IpAddress.of(target.getAddress()), target.getPort());
        } catch (IOException e) {
            closeQuietly(e);
            return PendingIo.endNow(group, null, e, attachment, handler);
        }
        PendingIo.Ending ending = (killed, failure) -> {
            pendingConnect = null;
            if (killed || failure != null) {
                closeQuietly(null); // as the JDK's: a failed connect closes the channel; a cancelled one leaves nothing usable
            }
        };
        return PendingIo.launch(group, this, endpoint.waiterQueue(), Events.OUT, () -> connectionOutcome(target),
                connected -> (Void) null, ending, 0, attachment, handler, op -> pendingConnect = op);
    }

    /** TRUE once connected, null while the handshake runs; on failure the channel closes, as the JDK's does. */
    private Boolean connectionOutcome(InetSocketAddress target) throws IOException {
        ensureStillOpen();
        if (io.connectionOutcome() == null) {
            return null;
        }
        synchronized (stateLock) {
            state = State.CONNECTED;
            remoteAddress = target;
        }
        return Boolean.TRUE;
    }

    // ---- read ----

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        checkWritable(dst);
        return read(false, new ByteBuffer[] {dst}, 0, 1, 0, null, null, null);
    }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        checkWritable(dst);
        read(false, new ByteBuffer[] {dst}, 0, 1, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            checkWritable(dsts[i]);
        }
        read(true, dsts, offset, length, timeout, unit, attachment, handler);
    }

    private static void checkWritable(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    /** The JDK's order of checks; a scattering read's result is a Long, a plain read's an Integer. */
    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> read(boolean scattering, ByteBuffer[] dsts, int offset, int length, long timeout,
                                                 TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        if (!open) {
            return PendingIo.endNow(group, null, new ClosedChannelException(), attachment, handler);
        }
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        boolean hasSpace = scattering || dsts[offset].hasRemaining();
        boolean shutdown;
        synchronized (readLock) {
            if (readKilled) {
                throw new IllegalStateException("Reading not allowed due to timeout or cancellation");
            }
            if (reading) {
                throw new ReadPendingException();
            }
            shutdown = readShutdown;
            reading = hasSpace && !shutdown;
        }
        if (shutdown || !hasSpace) {
            long n = shutdown ? -1 : 0;
            return PendingIo.endNow(group, (V) count(scattering, n), null, attachment, handler);
        }
        PendingIo.Attempt<V> attempt = () -> {
            ensureStillOpen();
            if (readShutdown) {
                return (V) count(scattering, -1);
            }
            if (scattering && !Buffers.hasRemaining(dsts, offset, length)) {
                return (V) count(true, 0);
            }
            long n = io.read(dsts, offset, length);
            return n == 0 ? null : (V) count(scattering, n);
        };
        PendingIo.Ending ending = (killed, failure) -> {
            synchronized (readLock) {
                readKilled |= killed;
                reading = false;
                pendingRead = null;
            }
        };
        return PendingIo.launch(group, this, endpoint.waiterQueue(), Events.IN, attempt, v -> v, ending,
                nanos(timeout, unit), attachment, handler, op -> pendingRead = op);
    }

    // ---- write ----

    @Override
    public Future<Integer> write(ByteBuffer src) {
        return write(false, new ByteBuffer[] {src}, 0, 1, 0, null, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        write(false, new ByteBuffer[] {src}, 0, 1, timeout, unit, attachment, handler);
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, srcs.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(srcs[i]);
        }
        write(true, srcs, offset, length, timeout, unit, attachment, handler);
    }

    /** The JDK's order of checks: closed or output shut down fails with ClosedChannelException. */
    @SuppressWarnings("unchecked")
    private <V extends Number, A> Future<V> write(boolean gathering, ByteBuffer[] srcs, int offset, int length, long timeout,
                                                  TimeUnit unit, A attachment, CompletionHandler<V, ? super A> handler) {
        boolean hasData = gathering || srcs[offset].hasRemaining();
        boolean closed = !open;
        if (!closed) {
            if (remoteAddress == null) {
                throw new NotYetConnectedException();
            }
            synchronized (writeLock) {
                if (writeKilled) {
                    throw new IllegalStateException("Writing not allowed due to timeout or cancellation");
                }
                if (writing) {
                    throw new WritePendingException();
                }
                closed = writeShutdown;
                writing = hasData && !closed;
            }
        }
        if (closed) {
            return PendingIo.endNow(group, null, new ClosedChannelException(), attachment, handler);
        }
        if (!hasData) {
            return PendingIo.endNow(group, (V) count(false, 0), null, attachment, handler);
        }
        PendingIo.Attempt<V> attempt = () -> {
            ensureStillOpen();
            if (writeShutdown) {
                // As the JDK's, whose pending write then meets write(2)'s EPIPE.
                throw new IOException("Broken pipe");
            }
            if (gathering && !Buffers.hasRemaining(srcs, offset, length)) {
                return (V) count(true, 0);
            }
            long n = io.write(srcs, offset, length, 0);
            return n == 0 ? null : (V) count(gathering, n);
        };
        PendingIo.Ending ending = (killed, failure) -> {
            synchronized (writeLock) {
                writeKilled |= killed;
                writing = false;
                pendingWrite = null;
            }
        };
        return PendingIo.launch(group, this, endpoint.waiterQueue(), Events.OUT, attempt, v -> v, ending,
                nanos(timeout, unit), attachment, handler, op -> pendingWrite = op);
    }

    private static Number count(boolean asLong, long n) {
        return asLong ? (Number) n : (Number) (int) n;
    }

    /** A timeout of 0 or less means none, as with the JDK, which then does not look at the unit. */
    private static long nanos(long timeout, TimeUnit unit) {
        return timeout > 0 ? unit.toNanos(timeout) : 0;
    }

    // ---- shutdown, close ----

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        ensureOpen();
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        synchronized (readLock) {
            if (!readShutdown) {
                readShutdown = true;
                endpoint.shutdownInput(); // notifies IN: a pending read completes with -1
            }
        }
        return this;
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        ensureOpen();
        if (remoteAddress == null) {
            throw new NotYetConnectedException();
        }
        synchronized (writeLock) {
            if (!writeShutdown) {
                writeShutdown = true;
                endpoint.shutdownOutput();
                endpoint.waiterQueue().notify(Events.OUT); // a pending write fails, as with the JDK
            }
        }
        return this;
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
            endpoint.close();
            for (PendingIo<?> op : new PendingIo<?>[] {pendingConnect, pendingRead, pendingWrite}) {
                if (op != null) {
                    op.abandon(new AsynchronousCloseException());
                }
            }
            // An operation about to start saw the channel open; its next try sees it closed.
            endpoint.waiterQueue().notify(Events.ALL);
        } finally {
            group.detach(this); // even when the program shut the group's executor down itself
        }
    }

    private void closeQuietly(IOException cause) {
        try {
            close();
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    /** For the tries of a pending operation: a close while it waits ends it this way. */
    private void ensureStillOpen() throws AsynchronousCloseException {
        if (!open) {
            throw new AsynchronousCloseException();
        }
    }

    @Override
    public String toString() {
        IpAddress local = endpoint.localAddress();
        return getClass().getSuperclass().getName() + "[" + (open ? "open" : "closed") + " local="
                + (local == null ? null : Addresses.toSocketAddress(local, endpoint.localPort())) + " remote=" + remoteAddress + "]";
    }
}
