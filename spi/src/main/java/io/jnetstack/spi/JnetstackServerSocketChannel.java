package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link ServerSocketChannel} over a listening {@link TcpEndpoint}, as the JDK's ServerSocketChannelImpl. */
final class JnetstackServerSocketChannel extends ServerSocketChannel implements SelectableEndpoint {
    /** The backlog a bind asking for less than 1 gets, as with the JDK. */
    static final int DEFAULT_BACKLOG = 50;
    private static final long LISTENER_CLOSE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final TcpEndpoint endpoint;
    private final TcpSocketOptions options;
    private final ReentrantLock acceptLock = new ReentrantLock();
    /** Made by the first blocking accept and reused under the accept lock. */
    private BlockingWaiter.Taking<TcpEndpoint> blockingAccept;
    private final Object stateLock = new Object();
    private volatile boolean bound;
    private ServerSocket socket;
    private final boolean ipv4Only;

    /** {@code ipv4Only} when opened with {@code StandardProtocolFamily.INET}, else dual-stack. */
    JnetstackServerSocketChannel(SelectorProvider provider, TcpEndpoint endpoint, boolean ipv4Only) {
        super(provider);
        this.endpoint = endpoint;
        this.ipv4Only = ipv4Only;
        endpoint.setOwner(getClass().getName()); // what Stack.connections() and ss show as its owner
        this.options = new TcpSocketOptions(this, endpoint, TcpSocketOptions.SERVER);
        endpoint.setReuseAddress(true); // the JDK's server sockets start with SO_REUSEADDR on
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (bound) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.forBind(local, ipv4Only);
            SecurityChecks.checkListen(isa.getPort());
            endpoint.bind(Addresses.toStackForBind(isa.getAddress(), ipv4Only), isa.getPort());
            endpoint.listen(backlog < 1 ? DEFAULT_BACKLOG : backlog);
            bound = true;
        }
        return this;
    }

    TcpEndpoint endpoint() {
        return endpoint;
    }

    boolean isBound() {
        return bound;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return SecurityChecks.revealed(localAddress());
    }

    /** The bound address, or null; also once closed (for the socket adaptor). */
    InetSocketAddress localAddress() {
        IpAddress local = endpoint.localAddress();
        return bound ? Addresses.toSocketAddress(local, endpoint.localPort()) : null;
    }

    @Override
    public SocketChannel accept() throws IOException {
        return accept(false, 0);
    }

    /**
     * For the socket adaptor: accepts in blocking mode, waiting at most {@code timeoutNanos}
     * (0: no limit).
     *
     * @throws SocketTimeoutException "Accept timed out"
     */
    SocketChannel blockingAccept(long timeoutNanos) throws IOException {
        return accept(true, timeoutNanos);
    }

    private SocketChannel accept(boolean adaptor, long timeoutNanos) throws IOException {
        TcpEndpoint connection = null;
        acceptLock.lock();
        try {
            if (adaptor && !isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            ensureOpen();
            boolean blocking = isBlocking();
            if (blocking) {
                begin();
            }
            try {
                synchronized (stateLock) {
                    ensureOpen();
                    if (!bound) {
                        throw new NotYetBoundException();
                    }
                }
                if (blocking) {
                    if (blockingAccept == null) {
                        blockingAccept = new BlockingWaiter.Taking<>(endpoint.waiterQueue(), Events.IN) {
                            @Override
                            TcpEndpoint tryTake() throws IOException {
                                return endpoint.accept();
                            }
                        };
                    }
                    connection = blockingAccept.take(timeoutNanos, "Accept timed out", this);
                } else {
                    connection = endpoint.accept();
                }
            } finally {
                if (blocking) {
                    end(connection != null);
                }
            }
        } finally {
            acceptLock.unlock();
        }
        if (connection == null) {
            return null;
        }
        JnetstackSocketChannel accepted = JnetstackSocketChannel.accepted(provider(), connection, ipv4Only);
        try {
            SecurityChecks.checkAccept(accepted.remoteAddress());
        } catch (SecurityException e) {
            accepted.close(); // the JDK closes a connection the security manager refuses
            throw e;
        }
        return accepted;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
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
    public ServerSocket socket() {
        synchronized (stateLock) {
            if (socket == null) {
                socket = new ServerSocketAdaptor(this);
            }
            return socket;
        }
    }

    @Override
    public WaiterQueue waiterQueue() {
        return endpoint.waiterQueue();
    }

    @Override
    public int readyOps(int interestOps) {
        return (endpoint.readiness(Events.IN) != 0 ? SelectionKey.OP_ACCEPT : 0) & interestOps;
    }

    @Override
    protected void implCloseSelectableChannel() {
        closeListener(endpoint);
    }

    /**
     * Closes a listener and waits until the processor has taken it off the demuxer (state
     * CLOSED), so that, as with the JDK, a new channel may bind the address as soon as close
     * returns. Bounded: a close called from a stack processor thread itself cannot wait for that
     * thread.
     */
    static void closeListener(TcpEndpoint endpoint) {
        Semaphore changed = new Semaphore(0);
        WaiterEntry entry = new WaiterEntry(Events.ALL, events -> changed.release());
        endpoint.waiterQueue().register(entry);
        try {
            endpoint.close();
            // The listener closes on its processor: a blocked accept must see the close now.
            endpoint.waiterQueue().notify(Events.ALL);
            awaitListenerGone(endpoint, changed);
        } finally {
            endpoint.waiterQueue().unregister(entry);
        }
    }

    private static void awaitListenerGone(TcpEndpoint endpoint, Semaphore changed) {
        long deadline = System.nanoTime() + LISTENER_CLOSE_LIMIT_NANOS;
        boolean interrupted = false;
        while (endpoint.state() == TcpState.LISTEN) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !changed.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // close must finish; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        acceptLock.lock(); // waits for a blocking accept in progress, as the JDK's channel does
        acceptLock.unlock();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return getClass().getSuperclass().getName() + "[" + (isOpen() ? String.valueOf(localAddress()) : "closed") + "]";
    }
}
