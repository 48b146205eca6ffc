package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.udp.UdpEndpoint;
import io.jnetstack.transport.udp.UdpProtocol;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DatagramChannel} over a {@link UdpEndpoint}. Locks as the JDK's: receives and reads
 * under the read lock, sends and writes under the write lock, both for bind, connect and
 * disconnect (so these wait for a blocked receive, as in the JDK).
 */
final class JnetstackDatagramChannel extends DatagramChannel implements SelectableEndpoint {
    static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.IP_MULTICAST_IF, StandardSocketOptions.IP_MULTICAST_TTL,
            StandardSocketOptions.IP_MULTICAST_LOOP);

    private final UdpEndpoint endpoint;
    private final ReentrantLock readLock = new ReentrantLock();
    /** Made by the first blocking receive and reused under the read lock. */
    private BlockingWaiter.Taking<UdpEndpoint.Datagram> blockingReceive;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();
    // Options the endpoint does not apply; kept so that getOption returns what was set.
    private volatile int sendBufferSize = UdpEndpoint.DEFAULT_RECEIVE_BUFFER;
    private volatile int typeOfService;
    /** IP_MULTICAST_IF as set; the endpoint has the NIC it stands for. */
    private volatile NetworkInterface multicastInterface;
    /** Valid memberships, under the state lock. */
    private final List<JnetstackMembershipKey> memberships = new ArrayList<>();
    private final Stack stack;
    private DatagramSocket socket;
    // The last sender receive returned; one reference, so concurrent receivers see a matching pair.
    private volatile Sender lastSender;
    private final boolean ipv4Only;

    private record Sender(IpAddress address, InetSocketAddress socketAddress) {
    }

    /** {@code ipv4Only} when opened with {@code StandardProtocolFamily.INET}, else dual-stack. */
    JnetstackDatagramChannel(SelectorProvider provider, Stack stack, boolean ipv4Only) {
        super(provider);
        this.ipv4Only = ipv4Only;
        UdpProtocol udp = (UdpProtocol) stack.transport(UdpProtocol.NUMBER);
        if (udp == null) {
            throw new IllegalStateException("the stack has no UDP protocol: build it with .transport(new UdpProtocol())");
        }
        this.endpoint = udp.newEndpoint();
        this.stack = stack;
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        ChannelLocks.whileIdle(readLock, writeLock, stateLock, () -> {
            ensureOpen();
            if (endpoint.isBound()) {
                throw new AlreadyBoundException();
            }
            InetSocketAddress isa = Addresses.forBind(local, ipv4Only);
            SecurityChecks.checkListen(isa.getPort());
            endpoint.bind(Addresses.toStackForBind(isa.getAddress(), ipv4Only), isa.getPort());
        });
        return this;
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        return connect(remote, true);
    }

    /**
     * Connects to {@code remote}; with {@code refuseIfConnected} false (DatagramSocket.connect) a
     * connection is replaced, and kept when the new one is refused. The JDK's order of checks:
     * the address and the security manager, then closed, then already connected, then port 0.
     */
    DatagramChannel connect(SocketAddress remote, boolean refuseIfConnected) throws IOException {
        InetSocketAddress isa = Addresses.check(remote, ipv4Only);
        SecurityChecks.checkDatagramPeer(isa);
        ChannelLocks.whileIdle(readLock, writeLock, stateLock, () -> {
            ensureOpen();
            if (refuseIfConnected && endpoint.isConnected()) {
                throw new AlreadyConnectedException();
            }
            if (isa.getPort() == 0) {
                throw new SocketException("Can't connect to port 0");
            }
            if (endpoint.isConnected()) {
                endpoint.disconnect();
            }
            if (!endpoint.isBound()) {
                SecurityChecks.checkListen(0); // connect binds the channel first, as bind(null) would
            }
            endpoint.connect(IpAddress.of(isa.getAddress()), isa.getPort());
        });
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        ChannelLocks.whileIdle(readLock, writeLock, stateLock, () -> {
            if (isOpen() && endpoint.isConnected()) {
                endpoint.disconnect();
            }
        });
        return this;
    }

    @Override
    public boolean isConnected() {
        return isOpen() && endpoint.isConnected();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        IpAddress remote = endpoint.remoteAddress();
        return remote == null ? null : Addresses.toSocketAddress(remote, endpoint.remotePort());
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return endpoint.isBound() ? SecurityChecks.revealed(Addresses.toSocketAddress(endpoint.localAddress(), endpoint.localPort())) : null;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        checkWritable(dst);
        UdpEndpoint.Datagram d = receiveDatagram(0);
        if (d == null) {
            return null;
        }
        dst.put(d.data(), 0, Math.min(d.data().length, dst.remaining())); // the rest is discarded, as with recvfrom(2)
        return senderOf(d);
    }

    /**
     * The sender of {@code d}: the last sender's address object again when it repeats, as the
     * JDK's channel hands back its cached one (a reply loop to one peer then allocates no address
     * per datagram).
     */
    InetSocketAddress senderOf(UdpEndpoint.Datagram d) {
        Sender last = lastSender;
        if (last == null || d.sourcePort() != last.socketAddress().getPort() || !d.sourceAddress().equals(last.address())) {
            last = new Sender(d.sourceAddress(), Addresses.toSocketAddress(d.sourceAddress(), d.sourcePort()));
            lastSender = last;
        }
        return last.socketAddress();
    }

    /**
     * The next datagram: in blocking mode waits up to {@code timeoutNanos} (0: no limit); in
     * non-blocking mode null when none is queued.
     *
     * @throws java.net.SocketTimeoutException "Receive timed out"
     */
    UdpEndpoint.Datagram receiveDatagram(long timeoutNanos) throws IOException {
        readLock.lock();
        try {
            boolean blocking = isBlocking();
            UdpEndpoint.Datagram d = null;
            if (blocking) {
                begin();
            }
            try {
                ensureOpen();
                bindIfUnbound();
                if (blocking && blockingReceive == null) {
                    blockingReceive = new BlockingWaiter.Taking<>(endpoint.waiterQueue(), Events.IN) {
                        @Override
                        UdpEndpoint.Datagram tryTake() throws IOException {
                            return nextPermittedDatagram();
                        }
                    };
                }
                d = blocking ? blockingReceive.take(timeoutNanos, "Receive timed out", this) : nextPermittedDatagram();
                return d;
            } finally {
                if (blocking) {
                    end(d != null);
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The next queued datagram the security manager lets this channel receive: on an unconnected
     * channel the JDK drops, unseen, a datagram whose sender checkAccept refuses.
     */
    private UdpEndpoint.Datagram nextPermittedDatagram() throws IOException {
        UdpEndpoint.Datagram d;
        do {
            d = endpoint.receive();
        } while (d != null && !endpoint.isConnected() && !SecurityChecks.mayReceiveFrom(senderOf(d)));
        return d;
    }

    private void bindIfUnbound() throws IOException {
        synchronized (stateLock) {
            if (!endpoint.isBound()) {
                SecurityChecks.checkListen(0);
                endpoint.bind(Addresses.wildcard(ipv4Only), 0);
            }
        }
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        return sendDatagram(src, Addresses.check(target, ipv4Only));
    }

    /** Sends {@code src} as one datagram to {@code target}, or to the connected peer if it is null. */
    private int sendDatagram(ByteBuffer src, InetSocketAddress target) throws IOException {
        writeLock.lock();
        try {
            boolean blocking = isBlocking();
            int n = -1;
            if (blocking) {
                begin(); // a send on a closed blocking channel reports AsynchronousCloseException, as the JDK's does
            }
            try {
                ensureOpen();
                bindIfUnbound();
                if (endpoint.isConnected()) {
                    if (target != null && !target.equals(getRemoteAddress())) {
                        throw new AlreadyConnectedException();
                    }
                    n = endpoint.send(src, null, 0);
                } else if (target == null) {
                    throw new NotYetConnectedException(); // disconnected since write checked
                } else {
                    // The JDK looks at the port only now: a connected channel says AlreadyConnected first.
                    SecurityChecks.checkSendTo(target);
                    if (target.getPort() == 0) {
                        throw new SocketException("Can't send to port 0");
                    }
                    n = endpoint.send(src, IpAddress.of(target.getAddress()), target.getPort());
                }
                return n;
            } finally {
                if (blocking) {
                    end(n >= 0);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {dst}, 0, 1);
    }

    /** Reads one datagram from the connected peer, spread over {@code dsts}; the rest of it is discarded. */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        for (int i = offset; i < offset + length; i++) {
            checkWritable(dsts[i]);
        }
        ensureOpen();
        if (!endpoint.isConnected()) {
            throw new NotYetConnectedException();
        }
        UdpEndpoint.Datagram d = receiveDatagram(0);
        if (d == null) {
            return 0;
        }
        int copied = 0;
        for (int i = offset; i < offset + length && copied < d.data().length; i++) {
            int n = Math.min(dsts[i].remaining(), d.data().length - copied);
            dsts[i].put(d.data(), copied, n);
            copied += n;
        }
        return copied;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        ensureOpen();
        if (!endpoint.isConnected()) {
            throw new NotYetConnectedException();
        }
        return sendDatagram(src, null);
    }

    /** Sends the buffers' remaining bytes, gathered, as one datagram to the connected peer. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        ByteBuffer gathered = ByteBuffer.allocate((int) Math.min(total, Integer.MAX_VALUE));
        for (int i = offset; i < offset + length; i++) {
            gathered.put(srcs[i].duplicate());
        }
        gathered.flip();
        int sent = write(gathered);
        // Only now that the datagram left do the sources give up their bytes.
        for (int i = offset; i < offset + length; i++) {
            srcs[i].position(srcs[i].limit());
        }
        return sent;
    }

    private static void checkWritable(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionChecks.checkSet(name, value, OPTIONS);
        synchronized (stateLock) {
            ensureOpen();
            if (name == StandardSocketOptions.SO_RCVBUF) {
                endpoint.setReceiveBufferSize(Math.max(1, (Integer) value));
            } else if (name == StandardSocketOptions.SO_SNDBUF) {
                sendBufferSize = (Integer) value;
            } else if (name == StandardSocketOptions.SO_REUSEADDR) {
                endpoint.setReuseAddress((Boolean) value);
            } else if (name == StandardSocketOptions.SO_BROADCAST) {
                endpoint.setBroadcast((Boolean) value);
            } else if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                NetworkInterface interf = (NetworkInterface) value;
                endpoint.setMulticastNic(MulticastInterfaces.nicOf(stack, interf));
                multicastInterface = interf;
            } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
                int ttl = (Integer) value;
                if (ttl < 0 || ttl > 255) {
                    throw new IllegalArgumentException("Invalid TTL/hop value");
                }
                endpoint.setMulticastTtl(ttl);
            } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
                endpoint.setMulticastLoop((Boolean) value);
            } else {
                typeOfService = (Integer) value;
            }
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionChecks.checkSupported(name, OPTIONS);
        synchronized (stateLock) {
            ensureOpen();
            Object value;
            if (name == StandardSocketOptions.SO_RCVBUF) {
                value = endpoint.receiveBufferSize();
            } else if (name == StandardSocketOptions.SO_SNDBUF) {
                value = sendBufferSize;
            } else if (name == StandardSocketOptions.SO_REUSEADDR) {
                value = endpoint.reuseAddress();
            } else if (name == StandardSocketOptions.SO_BROADCAST) {
                value = endpoint.broadcast();
            } else if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                value = multicastInterface;
            } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
                value = endpoint.multicastTtl();
            } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
                value = endpoint.multicastLoop();
            } else {
                value = typeOfService;
            }
            return (T) value;
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public DatagramSocket socket() {
        synchronized (stateLock) {
            if (socket == null) {
                socket = new DatagramSocketAdaptor(this);
            }
            return socket;
        }
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return joinOn(group, Objects.requireNonNull(interf, "interf"), null);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        Objects.requireNonNull(interf, "interf");
        Objects.requireNonNull(source, "source");
        return joinOn(group, interf, source);
    }

    /**
     * Joins {@code group} on {@code interf} (null: the default interface, for the socket
     * adaptor), for every source or only {@code source}: the JDK's checks, messages and registry
     * (sun.nio.ch.DatagramChannelImpl.innerJoin, MembershipRegistry), an existing key for the
     * same membership returned again.
     */
    MembershipKey joinOn(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("Group not a multicast address");
        }
        if (!(group instanceof Inet4Address)) {
            throw new UnsupportedOperationException("jnetstack does not offer IPv6 multicast yet");
        }
        if (source != null) {
            checkSource(group, source);
        }
        SecurityChecks.checkMulticast(group);
        synchronized (stateLock) {
            ensureOpen();
            for (JnetstackMembershipKey key : memberships) {
                if (key.isFor(group, interf)) {
                    if (source == null) {
                        if (key.sourceAddress() == null) {
                            return key;
                        }
                        throw new IllegalStateException("Already a member to receive all packets");
                    }
                    if (key.sourceAddress() == null) {
                        throw new IllegalStateException("Already have source-specific membership");
                    }
                    if (source.equals(key.sourceAddress())) {
                        return key;
                    }
                }
            }
            IpAddress stackGroup = IpAddress.of(group);
            int nicId = MulticastInterfaces.membershipNic(stack, interf, stackGroup);
            endpoint.join(stackGroup, nicId, source == null ? null : IpAddress.of(source));
            JnetstackMembershipKey key = new JnetstackMembershipKey(this, group, interf, source, nicId);
            memberships.add(key);
            return key;
        }
    }

    /** The valid key for {@code group} on {@code interf} (null: the default interface), or null. */
    JnetstackMembershipKey membership(InetAddress group, NetworkInterface interf) {
        synchronized (stateLock) {
            for (JnetstackMembershipKey key : memberships) {
                if (key.isFor(group, interf)) {
                    return key;
                }
            }
            return null;
        }
    }

    private static void checkSource(InetAddress group, InetAddress source) {
        if (source.isAnyLocalAddress()) {
            throw new IllegalArgumentException("Source address is a wildcard address");
        }
        if (source.isMulticastAddress()) {
            throw new IllegalArgumentException("Source address is multicast address");
        }
        if (source.getClass() != group.getClass()) {
            throw new IllegalArgumentException("Source address is different type to group");
        }
    }

    void drop(JnetstackMembershipKey key) {
        synchronized (stateLock) {
            if (!key.isValid()) {
                return;
            }
            leave(key);
            memberships.remove(key);
        }
    }

    private void leave(JnetstackMembershipKey key) {
        InetAddress source = key.sourceAddress();
        endpoint.leave(IpAddress.of(key.group()), key.nicId, source == null ? null : IpAddress.of(source));
        key.invalidate();
    }

    /** For {@link JnetstackMembershipKey#block}: {@code blocked} is the key's set, guarded by the state lock. */
    void block(JnetstackMembershipKey key, InetAddress source, Set<InetAddress> blocked) {
        synchronized (stateLock) {
            if (blocked.contains(source)) {
                return;
            }
            if (!key.isValid()) {
                throw new IllegalStateException("key is no longer valid");
            }
            checkSource(key.group(), source);
            endpoint.block(IpAddress.of(key.group()), key.nicId, IpAddress.of(source));
            blocked.add(source);
        }
    }

    void unblock(JnetstackMembershipKey key, InetAddress source, Set<InetAddress> blocked) {
        synchronized (stateLock) {
            if (!blocked.contains(source)) {
                throw new IllegalStateException("not blocked");
            }
            if (!key.isValid()) {
                throw new IllegalStateException("key is no longer valid");
            }
            endpoint.unblock(IpAddress.of(key.group()), key.nicId, IpAddress.of(source));
            blocked.remove(source);
        }
    }

    @Override
    public WaiterQueue waiterQueue() {
        return endpoint.waiterQueue();
    }

    @Override
    public int readyOps(int interestOps) {
        int events = endpoint.readiness(Events.ALL);
        if ((events & (Events.ERR | Events.HUP)) != 0) {
            return interestOps; // as poll(2) reports it: every operation would fail at once
        }
        int ops = 0;
        if ((events & Events.IN) != 0) {
            ops |= SelectionKey.OP_READ;
        }
        if ((events & Events.OUT) != 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops & interestOps;
    }

    @Override
    protected void implCloseSelectableChannel() {
        synchronized (stateLock) {
            memberships.forEach(JnetstackMembershipKey::invalidate); // the endpoint's close leaves the groups
            memberships.clear();
        }
        endpoint.close(); // fires HUP, which wakes a blocked receive
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        readLock.lock(); // waits for a blocking receive in progress, as the JDK's channels do
        readLock.unlock();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    UdpEndpoint endpoint() {
        return endpoint;
    }
}
