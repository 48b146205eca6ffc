package io.jnetstack.transport.udp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.header.UdpHeader;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportEndpoint;
import io.jnetstack.stack.TransportEndpointId;
import io.jnetstack.stack.TransportError;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A UDP socket: bind, connect/disconnect, send to and receive from addresses. Received datagrams
 * wait in a queue bounded in bytes (SO_RCVBUF); readiness changes fire on {@link #waiterQueue()}.
 * Thread-safe: application threads and the link's reader thread meet under the endpoint's lock.
 */
public final class UdpEndpoint implements TransportEndpoint {
    /** Linux's default net.core.rmem_default. */
    public static final int DEFAULT_RECEIVE_BUFFER = 212_992;
    /** Largest UDP payload over IPv4: 65535 − 20 (IPv4) − 8 (UDP). */
    public static final int MAX_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH - UdpHeader.LENGTH;
    /** Largest UDP payload over IPv6 (RFC 8200 §3, no jumbograms): 65535 (payload length) − 8 (UDP). */
    public static final int MAX_PAYLOAD_IPV6 = Ipv6Header.MAX_PAYLOAD_LENGTH - UdpHeader.LENGTH;

    /**
     * What a queued datagram costs beyond its payload's array: its {@link Datagram} record (two
     * references and the port) and its queue slot.
     */
    private static final int DATAGRAM_OVERHEAD = MemoryCost.object(2, Integer.BYTES) + MemoryCost.REFERENCE;

    private final Stack stack;
    private final UdpProtocol protocol;
    private final WaiterQueue waiters = new WaiterQueue();
    private final ArrayDeque<Datagram> received = new ArrayDeque<>();
    private int receivedBytes;
    private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER;
    private IpAddress localAddress;
    private int localPort;
    private boolean portReserved;
    private IpAddress remoteAddress;
    private int remotePort;
    private Route connectedRoute;
    /** Volatile: a socket sharing the port reads it, without this one's lock, when it hands the port over. */
    private volatile TransportEndpointId registeredId;
    private IOException pendingError;
    /** Why this endpoint can carry nothing more (its link failed, its stack closed): every later receive and send fails with it. */
    private IOException failure;
    private volatile boolean closed;
    /** SO_REUSEADDR: a later bind to the same address and port may share it (each asks for it). */
    private boolean reuseAddress;
    /** IP_MULTICAST_IF: the NIC multicast leaves by, 0 for the route's choice. */
    private int multicastNicId;
    /** IP_MULTICAST_TTL: 1 keeps multicast on the link (RFC 1112 §6.1). */
    private int multicastTtl = 1;
    /** IP_MULTICAST_LOOP: a copy of what this socket sends to a group goes to the host's members. */
    private boolean multicastLoop = true;
    /** SO_BROADCAST: sends to a broadcast address are allowed (else "Permission denied", as Linux's EACCES). */
    private boolean broadcast;
    /**
     * Groups joined, with their source filters (RFC 3376 §2's per-socket state): an any-source
     * membership's blocked sources (exclude mode), or a source-specific membership's sources
     * (include mode).
     */
    private final Map<Membership, SourceFilter> memberships = new HashMap<>();

    /** A multicast group joined on one NIC. */
    private record Membership(IpAddress group, int nicId) {
    }

    /** Include mode takes only {@code sources}; exclude mode takes everything but them. */
    private record SourceFilter(boolean include, Set<IpAddress> sources) {
        boolean admits(IpAddress source) {
            return sources.contains(source) == include;
        }
    }

    UdpEndpoint(Stack stack, UdpProtocol protocol) {
        this.stack = stack;
        this.protocol = protocol;
    }

    /** A received datagram: who sent it and its payload. */
    public record Datagram(IpAddress sourceAddress, int sourcePort, byte[] data) {
    }

    public WaiterQueue waiterQueue() {
        return waiters;
    }

    /**
     * Binds to {@code address:port} (unspecified address: every local address; port 0: an
     * ephemeral one).
     */
    public synchronized void bind(IpAddress address, int port) throws IOException {
        ensureOpen();
        if (portReserved) {
            throw new SocketException("Already bound");
        }
        if (!address.isUnspecified() && !stack.isLocalAddress(address)) {
            throw new BindException("Cannot assign requested address");
        }
        int reserved = stack.ports().reserve(UdpProtocol.NUMBER, address, port, reuseAddress);
        localAddress = address;
        localPort = reserved;
        portReserved = true;
        register(TransportEndpointId.bound(address, reserved));
    }

    /** SO_REUSEADDR, applied at the next bind. */
    public synchronized void setReuseAddress(boolean on) {
        reuseAddress = on;
    }

    public synchronized boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * Sets the default destination; afterwards only datagrams from it are received. The local
     * address becomes the route's source address, as with connect(2) on Linux.
     */
    public synchronized void connect(IpAddress address, int port) throws IOException {
        ensureOpen();
        Route route = stack.findRoute(0, localAddress, address);
        if (!portReserved) {
            bind(address.isV4() ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY, 0);
        }
        remoteAddress = route.remoteAddress();
        remotePort = port;
        connectedRoute = route;
        register(new TransportEndpointId(route.localAddress(), localPort, remoteAddress, port));
        // Datagrams queued from other senders before the connect are no longer for this socket.
        received.removeIf(d -> !d.sourceAddress().equals(remoteAddress) || d.sourcePort() != remotePort);
        receivedBytes = received.stream().mapToInt(UdpEndpoint::charge).sum();
    }

    /** Forgets the default destination; the endpoint keeps its local port. */
    public synchronized void disconnect() throws IOException {
        if (remoteAddress == null) {
            return;
        }
        remoteAddress = null;
        remotePort = 0;
        connectedRoute = null;
        pendingError = null;
        register(TransportEndpointId.bound(localAddress, localPort));
    }

    /**
     * Takes {@code id} in the demuxer. On a port shared through SO_REUSEADDR the latest binder
     * takes the unicast datagrams, as on Linux; the others keep the id, and one of them takes
     * over when it closes ({@link UdpProtocol#handOver}).
     */
    private void register(TransportEndpointId id) throws BindException {
        if (registeredId != null) {
            stack.demuxer().unregister(UdpProtocol.NUMBER, registeredId, this);
            protocol.handOver(registeredId, this);
        }
        if (id.remoteAddress() == null && reuseAddress) {
            stack.demuxer().replace(UdpProtocol.NUMBER, id, this);
        } else {
            stack.demuxer().register(UdpProtocol.NUMBER, id, this);
        }
        registeredId = id;
        protocol.track(this);
    }

    /**
     * Takes the unicast datagrams of the port it shares, another sharer having closed. Without
     * this socket's lock: the leaving one holds its own, and two sharers may leave at once.
     */
    void takeOver(TransportEndpointId id) {
        if (holds(id)) {
            stack.demuxer().replace(UdpProtocol.NUMBER, id, this);
        }
    }

    boolean holds(TransportEndpointId id) {
        return !closed && id.equals(registeredId);
    }

    /**
     * Sends the remaining bytes of {@code src} as one datagram to {@code address:port}, or to the
     * connected peer when {@code address} is null. Binds to an ephemeral port first if unbound.
     *
     * @return the number of bytes sent
     */
    public int send(ByteBuffer src, IpAddress address, int port) throws IOException {
        Route route;
        int sourcePort;
        synchronized (this) {
            ensureOpen();
            throwIfFailed();
            if (address == null) {
                if (connectedRoute == null) {
                    throw new java.nio.channels.NotYetConnectedException();
                }
                route = connectedRoute;
                port = remotePort;
            } else {
                // As Linux's udp_sendmsg: IP_MULTICAST_IF picks the NIC for the limited broadcast too.
                boolean toGroup = address.isMulticast() || address.equals(IpAddress.IPV4_BROADCAST);
                route = stack.findRoute(toGroup ? multicastNicId : 0, localAddress, address);
            }
            if (!portReserved) {
                bind(IpAddress.IPV4_ANY, 0);
            }
            sourcePort = localPort;
        }
        IpAddress destination = route.remoteAddress();
        boolean multicast = destination.isMulticast();
        boolean toBroadcast = destination.equals(IpAddress.IPV4_BROADCAST) || stack.nic(route.nicId()).isBroadcast(destination);
        synchronized (this) {
            if (toBroadcast && !broadcast) {
                throw new SocketException("Permission denied");
            }
        }
        int length = src.remaining();
        if (length > (route.remoteAddress().isV4() ? MAX_PAYLOAD : MAX_PAYLOAD_IPV6)) {
            throw new SocketException("Message too long");
        }
        int udpLength = UdpHeader.LENGTH + length;
        PacketBuffer p = PacketBuffer.allocate(route.maxHeaderLength(), udpLength);
        src.get(p.array(), p.offset() + UdpHeader.LENGTH, length);
        UdpHeader udp = new UdpHeader(p.array(), p.offset());
        udp.encode(sourcePort, port, udpLength);
        int sum = route.pseudoHeaderChecksum(UdpProtocol.NUMBER, udpLength);
        int checksum = Checksum.finish(Checksum.add(sum, p.array(), p.offset(), udpLength));
        // RFC 768: a computed zero is sent as all ones, since zero means "no checksum" (which IPv6 forbids).
        udp.setChecksum(checksum == 0 ? 0xffff : checksum);
        stack.stats().increment(StackCounter.UDP_SENT);
        if (toBroadcast) {
            // As Linux: the sending host is on the link too, and gets a copy unless the NIC hands one back.
            var lo = stack.loopbackNic();
            PacketBuffer copy = lo != null && route.nicId() == lo.id() ? null : PacketBuffer.wrap(p.toByteArray(), 0, udpLength);
            route.writePacket(UdpProtocol.NUMBER, p, route.ttl(), false);
            if (copy != null) {
                protocol.deliverToAll(new PacketInfo(route.localAddress(), destination, route.nicId(), route.ttl(), 0), copy);
            }
            return length;
        }
        if (!multicast) {
            route.writePacket(UdpProtocol.NUMBER, p, route.ttl(), false);
            return length;
        }
        int ttl;
        boolean loopCopy;
        synchronized (this) {
            ttl = multicastTtl;
            // The loopback NIC hands the datagram back to this host anyway (Linux: no copy for IFF_LOOPBACK).
            var lo = stack.loopbackNic();
            loopCopy = multicastLoop && !(lo != null && route.nicId() == lo.id());
        }
        PacketBuffer copy = loopCopy ? PacketBuffer.wrap(p.toByteArray(), 0, udpLength) : null;
        if (ttl > 0) {
            route.writePacket(UdpProtocol.NUMBER, p, ttl, false);
        }
        if (copy != null) {
            // RFC 1112 §6.1: IP_MULTICAST_LOOP delivers to the sending host's own members.
            protocol.deliverToAll(new PacketInfo(route.localAddress(), destination, route.nicId(), ttl, 0), copy);
        }
        return length;
    }

    /**
     * Takes the next datagram, or returns null if none is queued. Throws a pending error (an ICMP
     * port unreachable on a connected socket) once, as Linux does.
     */
    public synchronized Datagram receive() throws IOException {
        ensureOpen();
        if (pendingError != null) {
            IOException e = pendingError;
            pendingError = null;
            throw e;
        }
        Datagram d = received.poll();
        if (d != null) {
            receivedBytes -= charge(d);
        } else {
            throwIfFailed(); // datagrams that came before the failure are still read first
        }
        return d;
    }

    /**
     * The link of NIC {@code nicId} failed for good: this endpoint fails with {@code cause} if it
     * can no longer send or receive anything, that is if it is bound to one of that NIC's
     * addresses or connected through it (connect(2) fixes the source address, as a bind does).
     * A wildcard-bound, unconnected endpoint still serves the stack's other NICs and is left be,
     * as on Linux, where a socket bound to INADDR_ANY outlives any one interface.
     */
    void failIfOnNic(int nicId, IOException cause) {
        synchronized (this) {
            boolean routedThrough = connectedRoute != null && connectedRoute.nicId() == nicId;
            boolean boundToIt = !localAddress.isUnspecified() && stack.nic(nicId).hasAddress(localAddress);
            if (!(routedThrough || boundToIt)) {
                return;
            }
        }
        fail(cause);
    }

    /** This endpoint can carry nothing more: a blocked receive wakes, and it and every later one fail with {@code cause}. */
    void fail(IOException cause) {
        synchronized (this) {
            if (closed || failure != null) {
                return;
            }
            failure = cause;
        }
        waiters.notify(Events.IN | Events.ERR);
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private static int charge(Datagram d) {
        return charge(d.data().length);
    }

    /**
     * What a datagram of {@code payloadLength} bytes is charged to the receive buffer: its true
     * cost (see {@link MemoryCost}), as Linux charges an skb's truesize, so that a flood of empty
     * datagrams meets the limit too.
     */
    static int charge(int payloadLength) {
        return (int) MemoryCost.byteArray(payloadLength) + DATAGRAM_OVERHEAD;
    }

    /** A datagram for this socket ({@code packet} starts at the UDP header, truncated to its length). */
    void handlePacket(TransportEndpointId id, PacketInfo info, PacketBuffer packet) {
        byte[] data = new byte[packet.length() - UdpHeader.LENGTH];
        packet.copyTo(UdpHeader.LENGTH, data, 0, data.length);
        synchronized (this) {
            if (closed) {
                return;
            }
            // Like Linux, a datagram is dropped only when the buffer is already over its limit.
            if (receivedBytes > receiveBufferSize) {
                stack.stats().increment(StackCounter.UDP_RECEIVE_BUFFER_ERRORS);
                return;
            }
            Datagram d = new Datagram(id.remoteAddress(), id.remotePort(), data);
            received.add(d);
            receivedBytes += charge(d);
        }
        waiters.notify(Events.IN);
    }

    /** An ICMP error about a datagram this socket sent. */
    void handleError(TransportError error) {
        synchronized (this) {
            // RFC 1122 §4.1.3.3: pass ICMP errors up; Linux reports them only on connected sockets.
            if (closed || remoteAddress == null) {
                return;
            }
            pendingError = switch (error.kind()) {
                case PORT_UNREACHABLE -> new PortUnreachableException("ICMP Port Unreachable");
                case HOST_UNREACHABLE, NETWORK_UNREACHABLE -> new NoRouteToHostException("No route to host");
                default -> null;
            };
            if (pendingError == null) {
                return;
            }
        }
        waiters.notify(Events.IN | Events.ERR);
    }

    /** Readiness among {@code mask}: IN when a datagram or an error is waiting (ERR then too), OUT always. */
    public synchronized int readiness(int mask) {
        int ready = Events.OUT;
        boolean error = pendingError != null || failure != null;
        if (!received.isEmpty() || error) {
            ready |= Events.IN;
        }
        if (error) {
            ready |= Events.ERR;
        }
        if (closed) {
            ready |= Events.HUP;
        }
        return ready & mask;
    }

    public synchronized IpAddress localAddress() {
        return connectedRoute != null ? connectedRoute.localAddress() : localAddress;
    }

    public synchronized int localPort() {
        return localPort;
    }

    public synchronized IpAddress remoteAddress() {
        return remoteAddress;
    }

    public synchronized int remotePort() {
        return remotePort;
    }

    public synchronized boolean isBound() {
        return portReserved;
    }

    public synchronized boolean isConnected() {
        return remoteAddress != null;
    }

    public synchronized int receiveBufferSize() {
        return receiveBufferSize;
    }

    public synchronized void setReceiveBufferSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("receive buffer size must be positive, got " + size);
        }
        receiveBufferSize = size;
    }

    // ---- multicast ----

    /**
     * Joins {@code group} on NIC {@code nicId}: for every source, or with {@code source} only
     * that one (IGMPv3's include mode, RFC 3376 §2); a source-specific join adds to the sources.
     */
    public synchronized void join(IpAddress group, int nicId, IpAddress source) throws IOException {
        ensureOpen();
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("not a multicast group: " + group);
        }
        var nic = stack.nic(nicId);
        if (nic == null) {
            throw new SocketException("No such device: NIC " + nicId);
        }
        Membership m = new Membership(group, nicId);
        SourceFilter filter = memberships.get(m);
        if (filter == null) {
            memberships.put(m, new SourceFilter(source != null, new HashSet<>(source == null ? Set.of() : Set.of(source))));
            nic.joinGroup(group);
        } else if (source != null && filter.include()) {
            filter.sources().add(source);
        }
    }

    /** Ends a membership {@link #join} took: the whole group, or one source of a source-specific membership. */
    public synchronized void leave(IpAddress group, int nicId, IpAddress source) {
        Membership m = new Membership(group, nicId);
        SourceFilter filter = memberships.get(m);
        if (filter == null) {
            return;
        }
        if (source != null && filter.include()) {
            filter.sources().remove(source);
            if (!filter.sources().isEmpty()) {
                return;
            }
        }
        memberships.remove(m);
        stack.nic(nicId).leaveGroup(group);
    }

    /** An any-source membership no longer takes datagrams from {@code source} (IP_BLOCK_SOURCE). */
    public synchronized void block(IpAddress group, int nicId, IpAddress source) {
        SourceFilter filter = memberships.get(new Membership(group, nicId));
        if (filter != null && !filter.include()) {
            filter.sources().add(source);
        }
    }

    /** Undoes {@link #block}. */
    public synchronized void unblock(IpAddress group, int nicId, IpAddress source) {
        SourceFilter filter = memberships.get(new Membership(group, nicId));
        if (filter != null && !filter.include()) {
            filter.sources().remove(source);
        }
    }

    /**
     * Whether a datagram to {@code group:port} from {@code source:sourcePort}, received on NIC
     * {@code nicId}, is for this socket: bound to the port (on the wildcard address or the group),
     * connected to the sender if connected at all, and a member of the group there whose filter
     * admits the source. Only joined groups, as the JDK's sockets (IP_MULTICAST_ALL off).
     */
    synchronized boolean takesMulticast(IpAddress group, int port, int nicId, IpAddress source, int sourcePort) {
        if (!takesGroupDatagram(group, port, source, sourcePort)) {
            return false;
        }
        SourceFilter filter = memberships.get(new Membership(group, nicId));
        return filter != null && filter.admits(source);
    }

    /** Bound to {@code port} on the wildcard address or {@code destination}, and connected to the sender if connected at all. */
    private boolean takesGroupDatagram(IpAddress destination, int port, IpAddress source, int sourcePort) {
        if (closed || !portReserved || localPort != port || !(localAddress.isUnspecified() || localAddress.equals(destination))) {
            return false;
        }
        return remoteAddress == null || remoteAddress.equals(source) && remotePort == sourcePort;
    }

    /**
     * Whether a broadcast to {@code destination:port} from {@code source:sourcePort} is for this
     * socket: bound to the port on the wildcard address or {@code destination}, and connected to
     * the sender if connected at all (Linux's __udp_is_mcast_sock, which serves broadcast too).
     */
    synchronized boolean takesBroadcast(IpAddress destination, int port, IpAddress source, int sourcePort) {
        return takesGroupDatagram(destination, port, source, sourcePort);
    }

    /** SO_BROADCAST. */
    public synchronized void setBroadcast(boolean on) {
        broadcast = on;
    }

    public synchronized boolean broadcast() {
        return broadcast;
    }

    /** IP_MULTICAST_IF as a NIC id; 0: the route chooses. */
    public synchronized void setMulticastNic(int nicId) {
        multicastNicId = nicId;
    }

    /** IP_MULTICAST_TTL, 0 to 255. */
    public synchronized void setMulticastTtl(int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("multicast TTL must be 0 to 255, got " + ttl);
        }
        multicastTtl = ttl;
    }

    public synchronized int multicastTtl() {
        return multicastTtl;
    }

    public synchronized void setMulticastLoop(boolean on) {
        multicastLoop = on;
    }

    public synchronized boolean multicastLoop() {
        return multicastLoop;
    }

    /** Releases the port; queued datagrams are discarded and waiters see HUP. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Membership m : memberships.keySet()) {
                stack.nic(m.nicId()).leaveGroup(m.group());
            }
            memberships.clear();
            if (registeredId != null) {
                stack.demuxer().unregister(UdpProtocol.NUMBER, registeredId, this);
                protocol.untrack(this);
                protocol.handOver(registeredId, this);
            }
            if (portReserved) {
                stack.ports().release(UdpProtocol.NUMBER, localAddress, localPort);
            }
            received.clear();
            receivedBytes = 0;
        }
        waiters.notify(Events.HUP | Events.IN);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
