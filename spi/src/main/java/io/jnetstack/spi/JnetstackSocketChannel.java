package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SocketChannel} over a {@link TcpEndpoint}, structured as the JDK's
 * {@code sun.nio.ch.SocketChannelImpl}: reads under the read lock, writes under the write lock,
 * both for bind and connect; the connection state is the channel's own, so that its exceptions
 * are the JDK's and not the endpoint's. Blocking calls wait on the endpoint's waiter queue.
 */
final class JnetstackSocketChannel extends SocketChannel implements SelectableEndpoint {
    private enum State { UNCONNECTED, PENDING, CONNECTED, CLOSED }

    private final TcpEndpoint endpoint;
    private final TcpSocketOptions options;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    // The one-buffer read and write pass their buffer in these, under the read or write lock, so
    // neither makes an array per call.
    private final ByteBuffer[] oneReadBuffer = new ByteBuffer[1];
    private final ByteBuffer[] oneWriteBuffer = new ByteBuffer[1];
    // Made by the first blocking read, and write or connect, then reused under the read or write lock.
    private BlockingRead blockingRead;
    private BlockingWrite blockingWrite;
    private final Object stateLock = new Object();
    private volatile State state;
    private volatile InetSocketAddress remoteAddress;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    // As the JDK's: once a read saw a reset, every later read reports it again.
    private boolean connectionReset;
    private final TcpConnectionIo io;
    private Socket socket;
    /** Opened with StandardProtocolFamily.INET: IPv6 addresses are refused. Otherwise dual-stack. */
    private final boolean ipv4Only;

    /**
     * A new, unconnected channel; {@code ipv4Only} when opened with {@code StandardProtocolFamily.INET},
     * else dual-stack.
     */
    JnetstackSocketChannel(SelectorProvider provider, TcpEndpoint endpoint, boolean ipv4Only) {
        this(provider, endpoint, State.UNCONNECTED, ipv4Only);
    }

    /** A channel for a connection a listener accepted. */
    static JnetstackSocketChannel accepted(SelectorProvider provider, TcpEndpoint connection, boolean ipv4Only) {
        JnetstackSocketChannel channel = new JnetstackSocketChannel(provider, connection, State.CONNECTED, ipv4Only);
        channel.remoteAddress = Addresses.toSocketAddress(connection.remoteAddress(), connection.remotePort());
        return channel;
    }

    private JnetstackSocketChannel(SelectorProvider provider, TcpEndpoint endpoint, State state, boolean ipv4Only) {
        super(provider);
        this.endpoint = endpoint;
        this.ipv4Only = ipv4Only;
        endpoint.setOwner(getClass().getName()); // what Stack.connections() and ss show as its owner
        this.options = new TcpSocketOptions(this, endpoint, TcpSocketOptions.CLIENT);
        this.io = new TcpConnectionIo(endpoint, ipv4Only);
        this.state = state;
    }

    /** The connection under this channel, for tests that follow its TCP state. */
    TcpEndpoint endpoint() {
        return endpoint;
    }

    // ---- addresses and state ----

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        ChannelLocks.whileIdle(readLock, writeLock, stateLock, () -> {
            ensureOpen();
            io.bind(local, state == State.PENDING);
        });
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return SecurityChecks.revealed(localAddress());
    }

    /** The local address, or null if unbound; also once closed (for the socket adaptor). */
    InetSocketAddress localAddress() {
        IpAddress local = endpoint.localAddress();
        return local == null ? null : Addresses.toSocketAddress(local, endpoint.localPort());
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    /** The address connected or being connected to, or null; also once closed (for the socket adaptor). */
    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == State.PENDING;
    }

    boolean isInputOpen() {
        return !inputShutdown;
    }

    boolean isOutputOpen() {
        return !outputShutdown;
    }

    // ---- connect ----

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return connect(remote, false, 0);
    }

    /**
     * For the socket adaptor: connects in blocking mode, waiting at most {@code timeoutNanos}
     * (0: no limit).
     *
     * @throws SocketTimeoutException "Connect timed out", after closing the channel
     */
    void blockingConnect(SocketAddress remote, long timeoutNanos) throws IOException {
        connect(remote, true, timeoutNanos);
    }

    private boolean connect(SocketAddress remote, boolean adaptor, long timeoutNanos) throws IOException {
        InetSocketAddress target = checkRemote(remote, ipv4Only);
        try {
            readLock.lock();
            writeLock.lock();
            try {
                ensureOpen();
                if (adaptor && !isBlocking()) {
                    throw new IllegalBlockingModeException();
                }
                boolean blocking = isBlocking();
                boolean connected = false;
                if (blocking) {
                    begin();
                }
                try {
                    startConnecting(target);
                    connected = blocking ? awaitConnection(timeoutNanos) : connectionOutcome() != null;
                } finally {
                    endConnect(blocking, connected);
                }
                return connected;
            } finally {
                writeLock.unlock();
                readLock.unlock();
            }
        } catch (IOException e) {
            close(); // a failed connect closes the channel, as the JDK's does
            throw e;
        }
    }

    /** The JDK's checks, the security manager's last; the wildcard address means the local host, as with the JDK. */
    static InetSocketAddress checkRemote(SocketAddress remote, boolean ipv4Only) {
        InetSocketAddress isa = Addresses.check(remote, ipv4Only);
        SecurityChecks.checkConnect(isa);
        if (isa.getAddress().isAnyLocalAddress()) {
            return Addresses.loopbackFor(isa);
        }
        return isa;
    }

    private void startConnecting(InetSocketAddress target) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == State.PENDING) {
                throw new ConnectionPendingException();
            }
            state = State.PENDING;
            remoteAddress = target;
        }
        endpoint.connect(IpAddress.of(target.getAddress()), target.getPort());
    }

    /** Under the write lock. */
    private boolean awaitConnection(long timeoutNanos) throws IOException {
        return blockingWrite().waiter.await(timeoutNanos, "Connect timed out", this, () -> connectionOutcome() != null);
    }

    private Boolean connectionOutcome() throws IOException {
        return io.connectionOutcome();
    }

    private void endConnect(boolean blocking, boolean connected) throws AsynchronousCloseException {
        if (connected) {
            synchronized (stateLock) {
                if (state == State.PENDING) {
                    state = State.CONNECTED;
                }
            }
        }
        if (blocking) {
            end(connected);
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        try {
            readLock.lock();
            writeLock.lock();
            try {
                if (isConnected()) {
                    return true;
                }
                ensureOpen();
                boolean blocking = isBlocking();
                boolean connected = false;
                if (blocking) {
                    begin();
                }
                try {
                    synchronized (stateLock) {
                        ensureOpen();
                        if (state != State.PENDING) {
                            throw new NoConnectionPendingException();
                        }
                    }
                    connected = blocking ? awaitConnection(0) : connectionOutcome() != null;
                } finally {
                    endConnect(blocking, connected);
                }
                return connected;
            } finally {
                writeLock.unlock();
                readLock.unlock();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    // ---- read ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        readLock.lock();
        try {
            oneReadBuffer[0] = dst;
            return (int) read(oneReadBuffer, 0, 1, 0);
        } finally {
            oneReadBuffer[0] = null;
            readLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return read(dsts, offset, length, 0);
    }

    /**
     * For the socket adaptor's input stream: a blocking read waiting at most
     * {@code timeoutNanos} (0: no limit).
     *
     * @throws SocketTimeoutException "Read timed out"
     */
    int blockingRead(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!isBlocking()) {
            ensureOpenAndConnected();
            throw new IllegalBlockingModeException();
        }
        readLock.lock();
        try {
            oneReadBuffer[0] = ByteBuffer.wrap(b, off, len);
            return (int) read(oneReadBuffer, 0, 1, timeoutNanos);
        } finally {
            oneReadBuffer[0] = null;
            readLock.unlock();
        }
    }

    private long read(ByteBuffer[] dsts, int offset, int length, long timeoutNanos) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer");
            }
        }
        readLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            long n = 0;
            try {
                if (blocking) {
                    begin();
                    ensureOpen();
                }
                if (connectionReset) {
                    throw new SocketException("Connection reset");
                }
                if (inputShutdown) {
                    return -1;
                }
                if (!Buffers.hasRemaining(dsts, offset, length)) {
                    return 0;
                }
                if (blocking) {
                    if (blockingRead == null) {
                        blockingRead = new BlockingRead();
                    }
                    blockingRead.run(dsts, offset, length, timeoutNanos, "Read timed out", this);
                    n = blockingRead.count; // 0 if the channel closed or the thread was interrupted first
                } else {
                    n = readOnce(dsts, offset, length);
                }
            } catch (SocketException e) {
                if (isReset(e)) {
                    connectionReset = true;
                }
                throw e;
            } finally {
                if (blocking) {
                    end(n > 0);
                }
            }
            return n == 0 && inputShutdown ? -1 : n;
        } finally {
            readLock.unlock();
        }
    }

    private long readOnce(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return io.read(dsts, offset, length);
    }

    /** A blocking read, kept for the next one: used under the read lock. */
    private final class BlockingRead extends BlockingWaiter.BufferTransfer {
        BlockingRead() {
            super(endpoint.waiterQueue(), Events.IN);
        }

        @Override
        public boolean tryOnce() throws IOException {
            count = readOnce(buffers, offset, length);
            return count != 0;
        }
    }

    /** The endpoint reports a reset by the peer as this exception. */
    private static boolean isReset(SocketException e) {
        return "Connection reset".equals(e.getMessage());
    }

    // ---- write ----

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        writeLock.lock();
        try {
            oneWriteBuffer[0] = src;
            return (int) write(oneWriteBuffer, 0, 1);
        } finally {
            oneWriteBuffer[0] = null;
            writeLock.unlock();
        }
    }

    /** Writes what fits in the send buffer; in blocking mode, waits until everything is written. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(srcs[i]);
        }
        writeLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            if (!blocking) {
                return writeNonBlocking(srcs, offset, length);
            }
            long written = 0;
            try {
                begin();
                ensureOpen();
                if (outputShutdown) {
                    throw new ClosedChannelException();
                }
                BlockingWrite w = blockingWrite();
                w.run(srcs, offset, length, 0, null, this);
                written = w.count;
            } finally {
                end(written > 0);
                if (written == 0 && outputShutdown) {
                    throw new AsynchronousCloseException();
                }
            }
            return written;
        } finally {
            writeLock.unlock();
        }
    }

    /** A non-blocking write under the write lock: what the send buffer takes now, with nothing allocated. */
    private long writeNonBlocking(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long written = 0;
        try {
            written = writeOnce(srcs, offset, length, 0);
        } finally {
            if (written == 0 && outputShutdown) {
                throw new AsynchronousCloseException();
            }
        }
        return written;
    }

    /**
     * For the socket adaptor's sendUrgentData: one byte of urgent data after what was written,
     * waiting for room in blocking mode, as the JDK's sendOutOfBandData. Returns 1, or 0 when a
     * non-blocking channel's send buffer is full.
     */
    int sendUrgentData(byte b) throws IOException {
        writeLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            int sent = 0;
            try {
                if (blocking) {
                    begin();
                    sent = blockingWrite().waiter.await(this, () -> endpoint.writeUrgent(b) > 0) ? 1 : 0;
                } else {
                    sent = endpoint.writeUrgent(b);
                }
            } finally {
                if (blocking) {
                    end(sent > 0);
                }
            }
            return sent;
        } finally {
            writeLock.unlock();
        }
    }

    /** For the socket adaptor's output stream: writes all of {@code b[off, off+len)}, blocking. */
    void blockingWriteFully(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        if (!isBlocking()) {
            ensureOpenAndConnected();
            throw new IllegalBlockingModeException();
        }
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        while (src.hasRemaining()) {
            write(src); // a write an error cut short returns its count; the next one throws the error
        }
    }

    private long writeOnce(ByteBuffer[] srcs, int offset, int length, long writtenBefore) throws IOException {
        return io.write(srcs, offset, length, writtenBefore);
    }

    /** Under the write lock. */
    private BlockingWrite blockingWrite() {
        if (blockingWrite == null) {
            blockingWrite = new BlockingWrite();
        }
        return blockingWrite;
    }

    /**
     * A blocking write, kept for the next one (a blocking connect and urgent data wait on its
     * waiter too): used under the write lock. Done when every byte is written, the channel closes,
     * the output shuts down or a write error is deferred.
     */
    private final class BlockingWrite extends BlockingWaiter.BufferTransfer {
        BlockingWrite() {
            super(endpoint.waiterQueue(), Events.OUT);
        }

        @Override
        public boolean tryOnce() throws IOException {
            if (!isOpen() || outputShutdown) {
                return true; // as the kernel's write(2): a close ends it with what it wrote
            }
            count += writeOnce(buffers, offset, length, count);
            return !Buffers.hasRemaining(buffers, offset, length) || io.hasDeferredWriteError();
        }
    }

    // ---- shutdown, close ----

    @Override
    public SocketChannel shutdownInput() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (!isConnected()) {
                throw new NotYetConnectedException();
            }
            if (!inputShutdown) {
                inputShutdown = true;
                endpoint.shutdownInput(); // notifies IN: a blocked read returns -1
            }
            return this;
        }
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (!isConnected()) {
                throw new NotYetConnectedException();
            }
            if (!outputShutdown) {
                outputShutdown = true;
                endpoint.shutdownOutput();
                endpoint.waiterQueue().notify(Events.OUT); // a blocked write ends with AsynchronousCloseException
            }
            return this;
        }
    }

    @Override
    protected void implCloseSelectableChannel() {
        synchronized (stateLock) {
            state = State.CLOSED;
        }
        endpoint.close();
        // The endpoint closes on its processor and may not notify: blocked threads must see the close now.
        endpoint.waiterQueue().notify(Events.ALL);
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // Waits for blocking reads and writes in progress, as the JDK's channels do.
        readLock.lock();
        try {
            writeLock.lock();
            writeLock.unlock();
        } finally {
            readLock.unlock();
        }
    }

    // ---- options, adaptor ----

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
    public Socket socket() {
        synchronized (stateLock) {
            if (socket == null) {
                socket = SocketAdaptor.create(this);
            }
            return socket;
        }
    }

    /** Bytes readable without blocking, for the adaptor's input stream. */
    int available() throws IOException {
        ensureOpenAndConnected();
        if (inputShutdown) {
            return 0;
        }
        return endpoint.available();
    }

    // ---- selection ----

    @Override
    public WaiterQueue waiterQueue() {
        return endpoint.waiterQueue();
    }

    /** As the JDK's translation of poll(2) events: an error or hang-up makes every interesting operation ready. */
    @Override
    public int readyOps(int interestOps) {
        int events = endpoint.readiness(Events.ALL);
        if ((events & (Events.ERR | Events.HUP)) != 0) {
            return interestOps;
        }
        int ops = 0;
        State s = state;
        if ((events & Events.IN) != 0 && s == State.CONNECTED) {
            ops |= SelectionKey.OP_READ;
        }
        if ((events & Events.OUT) != 0) {
            ops |= s == State.CONNECTED ? SelectionKey.OP_WRITE : 0;
            ops |= s == State.PENDING ? SelectionKey.OP_CONNECT : 0;
        }
        return ops & interestOps;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureOpenAndConnected() throws ClosedChannelException {
        State s = state;
        if (s == State.CLOSED) {
            throw new ClosedChannelException();
        }
        if (s != State.CONNECTED) {
            throw new NotYetConnectedException();
        }
    }

    @Override
    public String toString() {
        return getClass().getSuperclass().getName() + "[" + (isOpen() ? state.name().toLowerCase() : "closed")
                + " local=" + localAddress() + " remote=" + remoteAddress + "]";
    }
}
