package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.header.TcpHeader.URG;

import io.jnetstack.address.IpAddress;
import io.jnetstack.header.ParsedTcpOptions;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.SerialExecutor;
import io.jnetstack.stack.TransportEndpoint;
import io.jnetstack.stack.TransportEndpointId;
import io.jnetstack.stack.TransportError;
import io.jnetstack.time.Clock;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One TCP socket: unconnected, listening, or one connection (RFC 9293), in the spirit of
 * netstack's {@code tcpip.Endpoint}. This class is the application's face and the connection's
 * state machine (segment checks in synchronized states, RFC 5961, close states, ICMP errors,
 * teardown); it hands the rest to small parts, as netstack's tcp package does:
 *
 * <ul>
 *   <li>{@link TcpListener} (accept.go): SYN queue, accept queue, SYN cookies, for LISTEN;
 *   <li>{@link TcpHandshake} (connect.go): SYN, SYN-ACK, their retries, option negotiation,
 *       whose outcome is the connection's {@link NegotiatedOptions};
 *   <li>{@link TcpSender} (snd.go): segmentation, Nagle and SWS avoidance, ACK processing,
 *       retransmission and loss recovery, zero-window probes;
 *   <li>{@link TcpReceiver} (rcv.go): acceptability, reassembly, advertised window, delayed ACKs,
 *       SACK blocks;
 *   <li>{@link TcpKeepalive}: SO_KEEPALIVE's idle timer and probes;
 *   <li>{@link SendBuffer} and {@link ReceiveBuffer}: the bytes between the application and the
 *       sender or receiver, each with its own accounting (capacity, auto-tuning, bytes read or
 *       written, urgent data, shutdown).
 * </ul>
 *
 * <p>Threads. Everything under "protocol state", and all of the connection's parts, belongs to
 * the endpoint's processor: a {@link io.jnetstack.stack.SerialExecutor} made when the endpoint
 * connects or listens, which lets one thread at a time inside. Inbound segments, timer expiries
 * and the application's work (output after a write, a window update after a read) run through it
 * on whichever thread brings them, the application's, a link's or the timer's, unless the stack
 * has processor threads; a thread that finds the connection busy leaves the task on its backlog
 * for the thread inside. So that state has no lock. Application threads touch only what
 * {@link #lock} guards (the send and receive buffers, which hold it as their lock, the pending
 * error, and a listener's accept queue in {@link TcpListener}), and always let go of it before
 * they enter the connection. Before {@link #connect} or {@link #listen} the application thread owns the
 * endpoint; those calls hand it over.
 *
 * <p>Nothing here blocks: {@link #accept}, {@link #read} and {@link #write} return what is
 * possible now, and the {@link #waiterQueue()} tells when more is.
 */
public final class TcpEndpoint implements TransportEndpoint {
    private static final System.Logger LOG = System.getLogger(TcpEndpoint.class.getName());
    /** RFC 9293 §3.7.1: the MSS to assume when the peer sends no MSS option (IPv4). */
    static final int DEFAULT_PEER_MSS = 536;
    /** The unscaled window field's limit (RFC 9293 §3.1). */
    static final int MAX_UNSCALED_WINDOW = 0xffff;
    /**
     * At most one ACK answering invalid segments (challenge ACKs, and ACKs for out-of-window or
     * PAWS-failed segments without data) per connection this often: Linux's tcp_invalid_ratelimit.
     */
    static final long INVALID_SEGMENT_ACK_INTERVAL_NANOS = 500_000_000L;
    /**
     * How often a writer whose send buffer found no memory, not even its floor, looks again: as
     * Linux's sk_stream_wait_memory sleeps up to HZ/5 when the stack, not the socket, is short.
     */
    static final long MEMORY_WAIT_NANOS = 200_000_000L;

    private final TcpProtocol protocol;
    private final TcpConfig config;
    private final TcpHost host;
    private final Clock clock;
    private final TcpStats stats;
    private final WaiterQueue waiterQueue = new WaiterQueue();

    // ---- guarded by lock: shared between the application and the processor. Each buffer holds
    // ---- this lock as its own and keeps its accounting (capacity, shutdown, urgent data); the
    // ---- sender and receiver touch only their buffer, under it ----
    final Object lock;
    private final SendBuffer sendBuffer;
    private final ReceiveBuffer receiveBuffer;
    /**
     * {@link #output} as a backlog entry of its own (see {@link OutputTask}), made at the first write
     * rather than per write (an idle connection has none); racing writers may each make one, any of
     * them will do.
     */
    private OutputTask outputTask;
    /** {@link #onLinkBatchEnd} as a task, made at the first batch end rather than per batch. */
    private Runnable batchEndTask;
    /** {@link #onSegment} as the handler every inbound segment is given to, made once. */
    private final Consumer<TcpSegment> segmentHandler = this::onSegment;
    private boolean closedByApplication;
    private boolean connectionAttempted;
    private IOException pendingError;

    // ---- socket options: written by the application, read by the processor ----
    private volatile boolean noDelay;
    private volatile int lingerSeconds = -1;
    private volatile boolean reuseAddress;
    private volatile long userTimeoutNanos;

    /** Who opened this socket, for ss-like views: the NIO channel class that wraps it, or empty. */
    private volatile String owner = "";

    // ---- identity: set by the application before hand-over, fixed afterwards ----
    private IpAddress localAddress;
    private int localPort;
    private IpAddress remoteAddress;
    private int remotePort;
    /** The address the port reservation was made for (null: this endpoint holds no reservation). */
    private IpAddress reservedAddress;
    /**
     * The demuxer holds this endpoint under {@link #registrationId()}: its identity, fixed from
     * then on, so the id itself need not be kept (32 bytes an end).
     */
    private boolean registered;
    private Route route;
    private SerialExecutor processor;
    /** The listener that created this endpoint, until the application accepts it. */
    private volatile TcpListener listener;
    /** The listening side, from {@link #listen} on. */
    private volatile TcpListener listening;

    private volatile TcpState state = TcpState.CLOSED;

    // ---- protocol state: processor only ----
    private boolean passiveOpen;
    /** When this connection last answered an invalid segment; valid once {@link #answeredInvalidSegment}. */
    private long invalidSegmentAckNanos;
    private boolean answeredInvalidSegment;

    /**
     * The parts of a connection; from {@link #initializeConnection} on (listeners have none). The
     * handshake goes once it completes.
     */
    private NegotiatedOptions options;
    private TcpHandshake handshake;
    private TcpSender sender;
    private TcpReceiver receiver;
    /**
     * Set, and the parts above dropped, once the connection is in TIME-WAIT and the application
     * has closed it (see {@link #releaseForTimeWait}).
     */
    private TimeWaitState timeWait;

    private long segmentsReceived;
    private IOException softError;

    /**
     * Its options are the application's, its timer the processor's (see there); made when an
     * option is first set ({@link #keepaliveForOptions}).
     */
    private volatile TcpKeepalive keepalive;
    /**
     * TIME-WAIT's 2·MSL, or the FIN-WAIT-2 limit of a connection the application closed. Like
     * every timer of a connection, made when first armed: an idle connection holds none.
     */
    private ProcessorTimer closingTimer;
    /** Wakes a writer {@linkplain SendBuffer#starved() starved} of TCP memory once there is some. */
    private ProcessorTimer memoryWaitTimer;

    TcpEndpoint(TcpProtocol protocol) {
        this.protocol = protocol;
        this.config = protocol.config();
        this.host = protocol.host();
        this.clock = host.clock();
        this.stats = protocol.stats();
        this.receiveBuffer = new ReceiveBuffer(protocol.memory(), config.receiveBufferSize(), config.maxReceiveBufferSize());
        this.lock = receiveBuffer.lock;
        this.sendBuffer = new SendBuffer(protocol.memory(), lock, config.sendBufferSize());
        // Its timer finds the processor when armed: the processor is chosen only on connect or listen.
    }

    // =====================================================================================
    // Application API
    // =====================================================================================

    public WaiterQueue waiterQueue() {
        return waiterQueue;
    }

    public TcpState state() {
        return state;
    }

    public IpAddress localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    public IpAddress remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    /**
     * Binds to {@code address} (unspecified for any) and {@code port} (0 for an ephemeral one).
     *
     * @throws BindException "Address already in use" or "Cannot assign requested address"
     */
    public void bind(IpAddress address, int port) throws IOException {
        synchronized (lock) {
            if (localAddress != null || state != TcpState.CLOSED || closedByApplication) {
                throw new SocketException("Already bound");
            }
            if (!address.isUnspecified() && !host.isLocalAddress(address)) {
                throw new BindException("Cannot assign requested address");
            }
            localPort = host.ports().reserve(TcpProtocol.PROTOCOL_NUMBER, address, port, reuseAddress);
            localAddress = address;
            reservedAddress = address;
        }
    }

    /** Starts listening; SYNs beyond the SYN queue are answered with SYN cookies. */
    public void listen(int backlog) throws IOException {
        synchronized (lock) {
            if (state == TcpState.LISTEN) {
                listening.setBacklog(backlog);
                return;
            }
            if (state != TcpState.CLOSED || connectionAttempted || closedByApplication) {
                throw new SocketException("Cannot listen in state " + state);
            }
            if (localAddress == null) {
                throw new SocketException("Not bound");
            }
            listening = new TcpListener(this, protocol, lock, backlog);
        }
        // Processor and state first: a SYN may arrive the moment the demuxer knows us.
        processor = host.processor(TcpProtocol.flowHash(localAddress, localPort, null, 0));
        enterState(TcpState.LISTEN);
        TransportEndpointId id = TransportEndpointId.bound(localAddress, localPort);
        try {
            host.demuxer().register(TcpProtocol.PROTOCOL_NUMBER, id, this);
        } catch (BindException e) {
            enterState(TcpState.CLOSED);
            processor = null;
            throw e;
        }
        registered = true;
    }

    /** A connection that completed its handshake, or null if none is waiting. */
    public TcpEndpoint accept() {
        TcpListener l = listening;
        return l == null ? null : l.accept();
    }

    /**
     * Starts connecting and returns at once: the waiter queue fires OUT when the handshake
     * completes, or OUT|ERR with the failure in {@link #getAndClearError()}.
     *
     * @throws NoRouteToHostException if no route leads to {@code remote}
     */
    public void connect(IpAddress remote, int port) throws IOException {
        synchronized (lock) {
            if (connectionAttempted || state != TcpState.CLOSED || closedByApplication) {
                throw new SocketException(state == TcpState.SYN_SENT ? "Connection already pending" : "Already connected");
            }
            connectionAttempted = true;
        }
        IpAddress boundAddress = localAddress == null || localAddress.isUnspecified() ? null : localAddress;
        Route r = host.findRoute(0, boundAddress, remote);
        IpAddress local = r.localAddress();
        boolean unbound = localAddress == null;
        if (unbound) {
            localPort = host.ports().reserveEphemeral(TcpProtocol.PROTOCOL_NUMBER, local, remote, port,
                    p -> isTupleFree(local, p, remote, port));
        }
        localAddress = local;
        remoteAddress = remote;
        remotePort = port;
        if (unbound) {
            reservedAddress = local; // after the peer: releasePort gives back this 4-tuple's reservation
        }
        route = r;
        // Everything is set before the demuxer publishes us to the processor that will own us.
        initializeConnection(protocol.isnGenerator().isn(local, localPort, remote, port));
        enterState(TcpState.SYN_SENT);
        TransportEndpointId id = new TransportEndpointId(local, localPort, remote, port);
        try {
            host.demuxer().register(TcpProtocol.PROTOCOL_NUMBER, id, this);
        } catch (BindException e) {
            enterState(TcpState.CLOSED);
            releasePort();
            throw e;
        }
        registered = true;
        processor.execute(handshake::startActiveOpen);
    }

    /** The error that ended or failed the connection, once; null if none. */
    public IOException getAndClearError() {
        synchronized (lock) {
            IOException e = pendingError;
            pendingError = null;
            return e;
        }
    }

    /** Events of {@code mask} that hold now (level-triggered, as poll(2)). */
    public int readiness(int mask) {
        TcpState s = state;
        int ready = 0;
        boolean starved;
        synchronized (lock) {
            if (s == TcpState.LISTEN) {
                return listening.hasConnectionWaiting() ? Events.IN & mask : 0;
            }
            boolean ended = s == TcpState.CLOSED && connectionAttempted;
            if (receiveBuffer.readable() > 0 || receiveBuffer.finReceived() || receiveBuffer.isShutdown() || ended) {
                ready |= Events.IN;
            }
            boolean writable = (s.sendsData() && sendBuffer.writable()) || ended;
            if (writable) {
                ready |= Events.OUT;
            }
            starved = writerStarvedLocked();
            if (pendingError != null) {
                ready |= Events.ERR;
            }
            if (ended || (receiveBuffer.finReceived() && sendBuffer.isShutdown())) {
                ready |= Events.HUP;
            }
        }
        if (starved && (mask & Events.OUT) != 0) {
            wakeWriterWhenMemoryFrees();
        }
        return ready & mask;
    }

    /** Reads into {@code dst}: bytes read, 0 if none are ready, -1 at end of stream. */
    public int read(ByteBuffer dst) throws IOException {
        return receive(dst, false);
    }

    /**
     * Bytes a read would return now without waiting (FIONREAD): without SO_OOBINLINE only those
     * before an urgent byte, as Linux's tcp_inq counts.
     */
    public int available() {
        synchronized (lock) {
            return receiveBuffer.readable();
        }
    }

    /** SO_OOBINLINE: urgent data stays in the stream; off (the default), it is dropped from it. */
    public void setOobInline(boolean on) {
        synchronized (lock) {
            receiveBuffer.setOobInline(on);
        }
        waiterQueue.notify(Events.IN); // an urgent byte a reader waits at may have become readable
    }

    public boolean oobInline() {
        synchronized (lock) {
            return receiveBuffer.oobInline();
        }
    }

    /** Like {@link #read} but leaves the bytes in the receive buffer. */
    public int peek(ByteBuffer dst) throws IOException {
        return receive(dst, true);
    }

    private int receive(ByteBuffer dst, boolean peek) throws IOException {
        int n;
        boolean windowWasSmall;
        synchronized (lock) {
            receiveBuffer.passUrgentMark();
            if (receiveBuffer.size() == 0) {
                if (receiveBuffer.finReceived() || receiveBuffer.isShutdown()) {
                    return -1;
                }
                if (pendingError != null) {
                    IOException e = pendingError;
                    pendingError = null;
                    throw e;
                }
                if (state == TcpState.CLOSED && connectionAttempted) {
                    return -1;
                }
                if (!state.isSynchronized() && state != TcpState.SYN_RECEIVED && state != TcpState.SYN_SENT) {
                    throw new SocketException("Socket is not connected");
                }
                return 0;
            }
            // Only a read that frees a lot of a fairly full buffer can earn a window update.
            windowWasSmall = receiveBuffer.moreThanHalfFull();
            n = receiveBuffer.readByApplication(dst, peek);
        }
        if (!peek && windowWasSmall && processor != null) {
            processor.execute(this::onApplicationRead);
        }
        return n;
    }

    /**
     * Copies as much of {@code src} as the send buffer has room for (possibly nothing) and wakes
     * the sender. This copy is the only one on the send side.
     */
    public int write(ByteBuffer src) throws IOException {
        return write(src, false);
    }

    /**
     * Sends {@code b} as urgent data (send with MSG_OOB): it joins the stream, and the segments
     * that carry it and those before it carry URG with the urgent pointer just past it (RFC 9293
     * §3.8.5, read as RFC 6093 §4 and Linux do). Returns 1, or 0 if the send buffer has no room.
     */
    public int writeUrgent(byte b) throws IOException {
        return write(ByteBuffer.wrap(new byte[] {b}), true);
    }

    private int write(ByteBuffer src, boolean urgent) throws IOException {
        int n;
        boolean starved;
        synchronized (lock) {
            if (pendingError != null) {
                IOException e = pendingError;
                pendingError = null;
                throw e;
            }
            if (sendBuffer.isShutdown()) {
                throw new SocketException("Socket output is shut down");
            }
            TcpState s = state;
            if (s == TcpState.CLOSED || s == TcpState.LISTEN) {
                throw new SocketException(connectionAttempted ? "Broken pipe" : "Socket is not connected");
            }
            if (!s.sendsData() && s != TcpState.SYN_SENT && s != TcpState.SYN_RECEIVED) {
                throw new SocketException("Broken pipe");
            }
            int wanted = Math.min(src.remaining(), sendBuffer.room());
            n = sendBuffer.write(src, wanted, urgent);
            if (n < wanted) {
                stats.increment(TcpStats.Counter.SEND_MEMORY_LIMITED);
            }
            starved = writerStarvedLocked();
        }
        if (n > 0) {
            outputTask().request();
        }
        if (starved) {
            wakeWriterWhenMemoryFrees();
        }
        return n;
    }

    /**
     * No acknowledgement of this connection's will make room in its empty send buffer, so nothing
     * else would tell its writer when other connections give memory back: look again now and then.
     */
    private void wakeWriterWhenMemoryFrees() {
        processor.execute(() -> memoryWaitTimer().armIfIdle(MEMORY_WAIT_NANOS));
    }

    /** Processor only. */
    private ProcessorTimer memoryWaitTimer() {
        if (memoryWaitTimer == null) {
            memoryWaitTimer = new ProcessorTimer(clock, processor, this::retryStarvedWriter);
        }
        return memoryWaitTimer;
    }

    /** Whether a writer waits for TCP memory only other connections can give back. Under {@link #lock}. */
    private boolean writerStarvedLocked() {
        return state.sendsData() && !sendBuffer.isShutdown() && sendBuffer.starved();
    }

    /** The memory wait ran out. Processor. */
    private void retryStarvedWriter() {
        boolean starved;
        synchronized (lock) {
            starved = writerStarvedLocked();
        }
        if (starved) {
            memoryWaitTimer().arm(MEMORY_WAIT_NANOS);
        } else {
            waiterQueue.notify(Events.OUT);
        }
    }

    /** Half-close: reads return -1 from now on; arriving data is acknowledged and dropped. */
    public void shutdownInput() {
        synchronized (lock) {
            receiveBuffer.shutdown();
        }
        waiterQueue.notify(Events.IN);
    }

    /** Half-close: sends FIN after the queued data; the peer may go on sending. */
    public void shutdownOutput() {
        synchronized (lock) {
            if (!sendBuffer.shutdown()) {
                return;
            }
        }
        if (processor != null) {
            processor.execute(this::queueFin);
        }
    }

    /**
     * Closes the socket: a graceful FIN after the queued data, or a RST when SO_LINGER is 0 or
     * received data was left unread (RFC 9293 §3.10.4; RFC 2525 §2.17).
     */
    public void close() {
        boolean reset;
        synchronized (lock) {
            if (closedByApplication) {
                return;
            }
            closedByApplication = true;
            sendBuffer.shutdown();
            receiveBuffer.shutdown();
            reset = lingerSeconds == 0 || receiveBuffer.size() > 0;
            receiveBuffer.clear(); // nobody reads it now: its memory goes back to TCP
        }
        if (processor == null) {
            releasePort(); // never connected nor listened: nothing on the wire
            return;
        }
        executeUnlessStackClosed(() -> onApplicationClose(reset));
    }

    /**
     * Tears the connection down at once with a RST (if it was synchronized); a connection in
     * TIME-WAIT, with nothing left to reset, is dropped, so a closing stack keeps no endpoint.
     */
    public void abort() {
        abort(null);
    }

    /**
     * Like {@link #abort()}, but from under the application, which has not closed the socket:
     * unless {@code reason} is null, the connection (not a listener) ends with {@code reason}, the
     * error its next read, after the data already received, or write gets. As Linux's tcp_abort
     * (ss -K) ends a socket with ECONNABORTED: an end of stream would say the peer ended it.
     */
    void abort(IOException reason) {
        if (reason == null) {
            synchronized (lock) {
                closedByApplication = true;
                sendBuffer.shutdown();
                receiveBuffer.shutdown();
                receiveBuffer.clear();
            }
        }
        if (processor == null) {
            releasePort();
            return;
        }
        executeUnlessStackClosed(() -> {
            if (state == TcpState.TIME_WAIT) {
                terminate(null, false);
            } else if (reason != null && state != TcpState.LISTEN) {
                terminate(reason, true);
            } else {
                onApplicationClose(true);
            }
        });
    }

    /**
     * Runs {@code task} on this endpoint's processor; false if the processors take no more work
     * because the stack closed, which has ended this endpoint already: TcpProtocol.close queues
     * every endpoint's abort before the processors stop (a listener aborting its unaccepted
     * children, or the application closing, comes second).
     */
    private boolean executeUnlessStackClosed(Runnable task) {
        try {
            processor.execute(task);
            return true;
        } catch (RejectedExecutionException stackClosed) {
            return false;
        }
    }

    // ---- options ----

    public void setNoDelay(boolean on) {
        noDelay = on;
        if (on && processor != null) {
            outputTask().request();
        }
    }

    public boolean noDelay() {
        return noDelay;
    }

    /** SO_KEEPALIVE with the stack's idle/interval/count unless {@link #setKeepaliveParameters} changed them. */
    public void setKeepAlive(boolean on) {
        TcpKeepalive k = keepaliveForOptions();
        k.setEnabled(on);
        if (processor != null) {
            processor.execute(k::arm);
        }
    }

    public boolean keepAlive() {
        TcpKeepalive k = keepalive;
        return k != null && k.isEnabled();
    }

    /** TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT. */
    public void setKeepaliveParameters(Duration idle, Duration interval, int count) {
        TcpKeepalive k = keepaliveForOptions();
        k.setParameters(idle, interval, count);
        if (processor != null) {
            processor.execute(k::arm);
        }
    }

    public Duration keepaliveIdle() {
        TcpKeepalive k = keepalive;
        return k == null ? config.keepaliveIdle() : k.idle();
    }

    public Duration keepaliveInterval() {
        TcpKeepalive k = keepalive;
        return k == null ? config.keepaliveInterval() : k.interval();
    }

    public int keepaliveCount() {
        TcpKeepalive k = keepalive;
        return k == null ? config.keepaliveCount() : k.count();
    }

    /**
     * The keep-alive part, made when an option is first set (here or on the listener a child
     * inherits from): a connection without keep-alives, most of them, holds none. Any thread.
     */
    private TcpKeepalive keepaliveForOptions() {
        TcpKeepalive k = keepalive;
        if (k == null) {
            synchronized (lock) {
                k = keepalive;
                if (k == null) {
                    k = new TcpKeepalive(this, config, clock, stats);
                    keepalive = k;
                }
            }
        }
        return k;
    }

    public void setReceiveBufferSize(int bytes) {
        synchronized (lock) {
            receiveBuffer.setCapacity(Math.max(bytes, 2 * DEFAULT_PEER_MSS));
        }
    }

    public int receiveBufferSize() {
        synchronized (lock) {
            return receiveBuffer.capacity();
        }
    }

    public void setSendBufferSize(int bytes) {
        synchronized (lock) {
            sendBuffer.setCapacity(Math.max(bytes, 2 * DEFAULT_PEER_MSS));
        }
    }

    public int sendBufferSize() {
        synchronized (lock) {
            return sendBuffer.capacity();
        }
    }

    /** SO_LINGER in seconds; -1 disables it, 0 makes {@link #close} send a RST. */
    public void setLinger(int seconds) {
        lingerSeconds = seconds;
    }

    public int linger() {
        return lingerSeconds;
    }

    public void setReuseAddress(boolean on) {
        reuseAddress = on;
    }

    public boolean reuseAddress() {
        return reuseAddress;
    }

    /** TCP_USER_TIMEOUT (RFC 5482): abort when sent data stays unacknowledged this long; zero disables. */
    public void setUserTimeout(Duration timeout) {
        userTimeoutNanos = timeout.toNanos();
    }

    public Duration userTimeout() {
        return Duration.ofNanos(userTimeoutNanos);
    }

    /** TCP_USER_TIMEOUT in nanoseconds, 0 if disabled; the sender's retransmission timer follows it. */
    long userTimeoutNanos() {
        return userTimeoutNanos;
    }

    /** A snapshot of the connection's variables (see {@link TcpInfo} about threads). */
    public TcpInfo info() {
        TcpSender s = sender;
        TcpReceiver r = receiver;
        NegotiatedOptions o = options;
        TimeWaitState tw = timeWait;
        if (tw != null) {
            // TIME-WAIT kept no congestion, RTT or MSS state: zeros, as for a connection without them.
            return new TcpInfo(state, tw.iss, tw.irs, tw.sndNxt, tw.sndNxt, 0, tw.rcvNxt, tw.receiveWindow, 0,
                    o.sendWindowScale, o.receiveWindowScale, o.sackEnabled, o.timestampsEnabled, 0, 0, 0, 0, false,
                    tw.retransmittedSegments, 0, tw.segmentsSent, segmentsReceived, tw.bytesAcked, tw.bytesReceived);
        }
        if (s == null || r == null || o == null) {
            // A listener, or a socket that never connected: no connection variables.
            return new TcpInfo(state, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, 0, 0, 0, 0, false, 0, 0, 0,
                    segmentsReceived, 0, 0);
        }
        return new TcpInfo(state, s.iss(), r.irs, s.sndUna, s.sndNxt, s.sndWnd, r.rcvNxt, r.window(), s.sndMss,
                o.sendWindowScale, o.receiveWindowScale, o.sackEnabled, o.timestampsEnabled, s.cwnd(),
                s.ssthresh(), s.rtt.srttNanos(), s.rtt.rtoNanos(), s.inRecovery,
                s.retransmittedSegments, s.consecutiveTimeouts, s.segmentsSent, segmentsReceived, s.bytesAcked,
                r.bytesReceived());
    }

    /** Names who opened this socket (say, the channel class wrapping it) in {@link TcpConnectionSnapshot#owner()}. */
    public void setOwner(String owner) {
        this.owner = owner;
    }

    /**
     * Completes with this socket as its processor sees it, the queues read under {@link #lock} in
     * the same task, so no value is from another moment; with null once the socket is closed, or
     * if its stack takes no more work.
     */
    CompletableFuture<TcpConnectionSnapshot> snapshot() {
        CompletableFuture<TcpConnectionSnapshot> result = new CompletableFuture<>();
        if (processor == null) {
            result.complete(null); // never connected nor listened: not a socket ss would list
            return result;
        }
        boolean queued = executeUnlessStackClosed(() -> {
            try {
                result.complete(takeSnapshot());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (!queued) {
            result.complete(null);
        }
        return result;
    }

    /** Processor only. */
    private TcpConnectionSnapshot takeSnapshot() {
        TcpState s = state;
        if (s == TcpState.CLOSED) {
            return null;
        }
        long receiveQueue;
        long sendQueue;
        synchronized (lock) {
            TcpListener l = listening;
            receiveQueue = s == TcpState.LISTEN ? l.acceptQueueLengthLocked() : receiveBuffer.size();
            sendQueue = s == TcpState.LISTEN ? l.backlogLocked() : sendBuffer.size();
        }
        if (s == TcpState.LISTEN || sender == null) {
            return new TcpConnectionSnapshot(s, localAddress, localPort, remoteAddress, remotePort, receiveQueue,
                    sendQueue, owner, -1, 0, 0, 0, 0, 0, 0, 0, 0, false, false, "", 0, 0, 0, segmentsReceived, 0, 0);
        }
        return new TcpConnectionSnapshot(s, localAddress, localPort, remoteAddress, remotePort, receiveQueue, sendQueue,
                owner, sender.rtt.srttNanos(), sender.rtt.rttvarNanos(), sender.rtt.rtoNanos(),
                sender.cwnd(), sender.ssthresh(), sender.sndMss, options.advertisedMss,
                options.sendWindowScale, options.receiveWindowScale, options.sackEnabled, options.timestampsEnabled,
                sender.congestionControlName(), sender.retransmittedSegments, sender.consecutiveTimeouts,
                sender.segmentsSent, segmentsReceived, sender.bytesAcked, receiver.bytesReceived());
    }

    @Override
    public String toString() {
        return "TcpEndpoint[" + localAddress + ":" + localPort + " > " + remoteAddress + ":" + remotePort + " " + state + "]";
    }

    // =====================================================================================
    // Network side: entry points (any thread) that hand over to the processor
    // =====================================================================================

    /** A validated segment for this endpoint. */
    void deliver(TcpSegment seg) {
        SerialExecutor p = processor;
        if (p == null) {
            protocol.replyToClosedPort(seg);
            return;
        }
        if (!p.tryExecute(segmentHandler, seg)) { // no task built per segment when the connection is free
            // Busy: the backlog keeps a copy, as seg may be refilled once this delivery returns.
            p.execute(protocol.queuedSegments().take(this, seg));
        }
    }

    /** An ICMP error quoting a segment with sequence number {@code quotedSeq}. */
    void deliverIcmpError(TransportError error, int quotedSeq) {
        Executor p = processor;
        if (p != null) {
            p.execute(() -> onIcmpError(error, quotedSeq));
        }
    }

    // =====================================================================================
    // Processor: set-up
    // =====================================================================================

    /** Chooses the processor and creates the connection's parts; runs before the processor owns us. */
    private void initializeConnection(int iss) {
        processor = host.processor(TcpProtocol.flowHash(localAddress, localPort, remoteAddress, remotePort));
        sendBuffer.reuseChunks(route.releasesSlicesOnWrite() ? protocol.sendChunks() : null);
        // RFC 7323 §5.4: the TSval offset is a per-connection random number; the ISN is one.
        options = new NegotiatedOptions(clock, route.maxTransportPacket() - TcpHeader.MIN_LENGTH,
                config.windowScaling() ? windowScaleFor(largestReceiveBuffer()) : 0, iss);
        sender = new TcpSender(this, options, sendBuffer, config, stats, clock, processor, route, iss, clock.nanoTime());
        receiver = new TcpReceiver(this, options, receiveBuffer, config, stats, protocol.memory(), clock, processor);
        handshake = new TcpHandshake(this, options, protocol, clock, route, sender, receiver, iss);
    }

    /** The largest receive buffer this connection may have: the window scale must cover it from the SYN on. */
    int largestReceiveBuffer() {
        synchronized (lock) {
            return receiveBuffer.largestCapacity();
        }
    }

    /** SRTT, which sets the receiver's auto-tuning pace. */
    long smoothedRttNanos() {
        return sender.rtt.srttNanos();
    }

    /** RFC 7323 §2.3: the smallest shift that lets the 16-bit field cover the whole buffer. */
    static int windowScaleFor(int bufferSize) {
        int shift = 0;
        while (shift < TcpOptions.MAX_WINDOW_SCALE && (bufferSize >> shift) > MAX_UNSCALED_WINDOW) {
            shift++;
        }
        return shift;
    }

    /**
     * Creates the endpoint for a SYN (or a SYN cookie's ACK) that reached {@code listener}, on the
     * listener's processor, lets {@code prepare} put its handshake in SYN-RECEIVED, and only then
     * registers it: a segment the demultiplexer hands it at once must find it ready, never CLOSED.
     * Null if a connection with its 4-tuple exists after all. The child then belongs to its own
     * processor.
     */
    static TcpEndpoint openPassive(TcpListener listener, TcpEndpoint listeningEndpoint, TcpSegment syn, Route route,
            int initialSequenceNumber, Consumer<TcpHandshake> prepare) {
        TcpEndpoint child = new TcpEndpoint(listeningEndpoint.protocol);
        child.inheritOptions(listeningEndpoint);
        child.listener = listener;
        child.localAddress = syn.destination;
        child.localPort = syn.destinationPort;
        child.remoteAddress = syn.source;
        child.remotePort = syn.sourcePort;
        child.route = route;
        child.passiveOpen = true;
        child.connectionAttempted = true;
        child.initializeConnection(initialSequenceNumber);
        prepare.accept(child.handshake);
        if (!child.register()) {
            return null;
        }
        child.stats.increment(TcpStats.Counter.PASSIVE_OPENS);
        return child;
    }

    void runOnProcessor(Runnable task) {
        processor.execute(task);
    }

    /** The connection's executor, for the timers its parts make; set from {@link #connect} or {@link #listen} on. */
    Executor processor() {
        return processor;
    }

    /** The id {@link #listen}, {@link #connect} or a listener registered this endpoint under: a listener has no remote. */
    private TransportEndpointId registrationId() {
        return new TransportEndpointId(localAddress, localPort, remoteAddress, remoteAddress == null ? 0 : remotePort);
    }

    private void stopKeepalive() {
        TcpKeepalive k = keepalive;
        if (k != null) {
            k.stop();
        }
    }

    /** Processor only. */
    private ProcessorTimer closingTimer() {
        if (closingTimer == null) {
            closingTimer = new ProcessorTimer(clock, processor, () -> terminate(null, false));
        }
        return closingTimer;
    }

    /** May this endpoint's handshake complete? Only with a place in its listener's accept queue, if it has a listener. */
    boolean admittedByListener() {
        TcpListener parent = listener;
        return parent == null || parent.admit();
    }

    /** The application accepted this endpoint, or its listener could not queue it. */
    void detachFromListener() {
        listener = null;
    }

    private void inheritOptions(TcpEndpoint parent) {
        noDelay = parent.noDelay;
        TcpKeepalive parentKeepalive = parent.keepalive;
        if (parentKeepalive != null) {
            keepaliveForOptions().copyOptionsFrom(parentKeepalive);
        }
        lingerSeconds = parent.lingerSeconds;
        userTimeoutNanos = parent.userTimeoutNanos;
        synchronized (parent.lock) {
            sendBuffer.setCapacity(parent.sendBuffer.capacity());
            receiveBuffer.copySettingsFrom(parent.receiveBuffer);
        }
    }

    /** Registers a passive child under its 4-tuple; it then belongs to its own processor. */
    private boolean register() {
        TransportEndpointId id = new TransportEndpointId(localAddress, localPort, remoteAddress, remotePort);
        try {
            host.demuxer().register(TcpProtocol.PROTOCOL_NUMBER, id, this);
        } catch (BindException e) {
            return false; // a connection with this 4-tuple exists after all
        }
        registered = true;
        return true;
    }

    /** The SYN-ACK of a child that {@link TcpHandshake#receiveSyn} prepared. */
    void sendFirstSynAck() {
        handshake.sendFirstSynAck();
    }

    /** The handshake completed (in any of its ways). */
    void establish() {
        handshake = null;
        enterState(sender.isFinQueued() ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED);
        TcpEvents.established(this);
        sender.onEstablished();
        TcpKeepalive k = keepalive;
        if (k != null) {
            k.onSegmentReceived();
            k.arm();
        }
        TcpListener parent = listener;
        if (parent != null) {
            parent.childEstablished(this);
        }
        waiterQueue.notify(Events.OUT);
    }

    // =====================================================================================
    // Processor: segment arrival (RFC 9293 §3.10.7)
    // =====================================================================================

    /** A segment for this connection, on the thread inside it (from {@link #deliver} or a {@link QueuedSegment}). */
    void onSegment(TcpSegment seg) {
        segmentsReceived++;
        switch (state) {
            case CLOSED -> protocol.replyToClosedPort(seg);
            case LISTEN -> listening.onSegment(seg);
            case SYN_SENT -> handshake.onSynSentSegment(seg);
            default -> {
                TimeWaitState tw = timeWait;
                if (tw != null) {
                    onTimeWaitSegment(seg, tw);
                } else {
                    onSynchronizedSegment(seg);
                    releaseForTimeWait(); // after the output that acknowledged the FIN
                }
            }
        }
    }

    /** RFC 9293 §3.10.7.4 for SYN-RECEIVED and every synchronized state. */
    private void onSynchronizedSegment(TcpSegment seg) {
        if (state == TcpState.TIME_WAIT && seg.has(SYN) && !seg.has(ACK) && !seg.has(RST) && isNewerIncarnation(seg)) {
            // RFC 9293 §3.6.1 and RFC 6191: a new connection may reuse the 4-tuple in TIME-WAIT.
            terminate(null, false);
            protocol.deliver(seg);
            return;
        }
        if (state == TcpState.SYN_RECEIVED && handshake.onRepeatedSyn(seg)) {
            return;
        }
        if (seg.has(SYN) && !seg.has(RST)) {
            // RFC 5961 §4.2: a SYN in a synchronized state, whatever its sequence number, may be forged.
            sendChallengeAck();
            return;
        }
        if (!passesSegmentChecks(seg, receiver.isAcceptable(seg), receiver.lastAckSent)) {
            return;
        }
        TcpKeepalive k = keepalive;
        if (k != null) {
            k.onSegmentReceived();
        }
        if (state == TcpState.SYN_RECEIVED && !handshake.onSynReceivedAck(seg)) {
            return;
        }
        if (!sender.onAck(seg) || !advanceClosingStates()) {
            return;
        }
        if (seg.has(URG)) {
            receiver.onUrgentPointer(seg); // RFC 9293 §3.10.7.4, sixth check, before the text
        }
        if (seg.payloadLength > 0 || seg.has(FIN)) {
            receiver.onText(seg);
        }
        output();
    }

    /**
     * RFC 9293 §3.10.7.4 in TIME-WAIT once the connection's parts are gone: the checks of
     * {@link #onSynchronizedSegment} that can matter in this state, with its outcomes. Both FINs
     * are acknowledged, so an acceptable segment changes nothing but the timer.
     */
    private void onTimeWaitSegment(TcpSegment seg, TimeWaitState tw) {
        if (seg.has(SYN) && !seg.has(RST)) {
            if (!seg.has(ACK) && isNewerIncarnation(seg)) {
                // RFC 9293 §3.6.1 and RFC 6191: a new connection may reuse the 4-tuple in TIME-WAIT.
                terminate(null, false);
                protocol.deliver(seg);
            } else {
                sendChallengeAck(); // RFC 5961 §4.2
            }
            return;
        }
        // Every ACK sent in TIME-WAIT carries RCV.NXT: it is Last.ACK.sent.
        if (!passesSegmentChecks(seg, TcpReceiver.isAcceptable(seg, tw.rcvNxt, tw.receiveWindow), tw.rcvNxt)) {
            return;
        }
        if (SeqNum.gt(seg.ack, tw.sndNxt)) {
            answerInvalidSegment(seg); // acknowledges something never sent
        } else if (SeqNum.lt(seg.ack, tw.sndNxt - tw.maxSendWindow)) {
            sendChallengeAck(); // RFC 5961 §5.2: too old to be real
        } else if (seg.has(FIN)) {
            // Eighth check: "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout."
            sendAck();
            closingTimer().arm(config.timeWait().toNanos());
        }
    }

    /**
     * RFC 9293 §3.10.7.4's checks after the SYN check, shared by every synchronized state: PAWS
     * (RFC 7323 §5.3), acceptability ({@code acceptable}), RST, the ACK bit; then TS.Recent from a
     * segment covering {@code lastAckSent} (RFC 7323 §4.3, R3). False if the segment ends here.
     */
    private boolean passesSegmentChecks(TcpSegment seg, boolean acceptable, int lastAckSent) {
        ParsedTcpOptions o = seg.options;
        if (o.hasTimestamps() && !seg.has(RST) && options.isOldDuplicate(o.tsVal())) {
            stats.increment(TcpStats.Counter.INVALID_SEGMENTS);
            answerInvalidSegment(seg);
            return false;
        }
        if (!acceptable) {
            if (!seg.has(RST)) {
                stats.increment(TcpStats.Counter.INVALID_SEGMENTS);
                answerInvalidSegment(seg);
                if (state == TcpState.TIME_WAIT && seg.has(FIN)) {
                    closingTimer().arm(config.timeWait().toNanos()); // a retransmitted FIN restarts 2·MSL
                }
            }
            return false;
        }
        if (seg.has(RST)) {
            onReset(seg);
            return false;
        }
        if (!seg.has(ACK)) {
            return false;
        }
        if (options.timestampsEnabled && o.hasTimestamps() && SeqNum.leq(seg.seq, lastAckSent)) {
            options.updateTsRecent(o.tsVal());
        }
        return true;
    }

    /**
     * Once in TIME-WAIT with the application gone, keeps only what {@link #onTimeWaitSegment}
     * needs: the sender, receiver, their timers, the keep-alive part and the buffers' tables go
     * for the 2·MSL that would otherwise hold them, as Linux swaps a socket for an
     * inet_timewait_sock. The endpoint itself stays in the demuxer (its identity, state and
     * {@link NegotiatedOptions} are what TIME-WAIT needs, and the application may still ask its
     * state), so nothing else changes hands. Processor only.
     */
    private void releaseForTimeWait() {
        if (state != TcpState.TIME_WAIT || timeWait != null || !closedByApplicationLocked()) {
            return;
        }
        // advertiseWindow: what the last ACK offered, and the edge it set, which window() then gives
        timeWait = new TimeWaitState(sender, receiver, receiver.advertiseWindow());
        sender.stopTimers();
        receiver.stopTimers();
        receiver.discardOutOfOrder();
        stopKeepalive();
        ProcessorTimer.cancelIfMade(memoryWaitTimer);
        sender = null;
        receiver = null;
        keepalive = null;
        memoryWaitTimer = null;
        outputTask = null;
        batchEndTask = null;
        synchronized (lock) {
            sendBuffer.clear();
            sendBuffer.releaseRing();
            receiveBuffer.clear();
            receiveBuffer.releaseTables();
        }
    }

    /** RFC 6191 §2: is this SYN to a TIME-WAIT connection from a later incarnation? */
    private boolean isNewerIncarnation(TcpSegment syn) {
        if (options.timestampsEnabled && syn.options.hasTimestamps()) {
            return SeqNum.gt(syn.options.tsVal(), options.tsRecent());
        }
        return SeqNum.gt(syn.seq, rcvNxt());
    }

    /** RCV.NXT, from the receiver or, once it is gone, from TIME-WAIT's state. */
    private int rcvNxt() {
        TimeWaitState tw = timeWait;
        return tw != null ? tw.rcvNxt : receiver.rcvNxt;
    }

    /** RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; one elsewhere in the window is challenged. */
    private void onReset(TcpSegment seg) {
        if (seg.seq != rcvNxt()) {
            sendChallengeAck();
            return;
        }
        stats.increment(TcpStats.Counter.RESETS_RECEIVED);
        TcpEvents.resetReceived(this);
        switch (state) {
            case SYN_RECEIVED -> terminate(passiveOpen ? null : new ConnectException("Connection refused"), false);
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> terminate(new SocketException("Connection reset"), false);
            default -> terminate(null, false); // CLOSING, LAST-ACK, TIME-WAIT: just close
        }
    }

    /**
     * RFC 5961 §7: challenge ACKs are limited per connection (as Linux's tcp_invalid_ratelimit)
     * and stack-wide (tcp_challenge_ack_limit), so forged segments cannot turn us into a flood.
     */
    void sendChallengeAck() {
        if (invalidSegmentAckLimited() || !protocol.challengeAckAllowed()) {
            stats.increment(TcpStats.Counter.CHALLENGE_ACKS_RATE_LIMITED);
            return;
        }
        stats.increment(TcpStats.Counter.CHALLENGE_ACKS_SENT);
        sendAck();
    }

    /**
     * RFC 9293 §3.10.7.4: an unacceptable segment is answered with an ACK. One carrying data or
     * FIN always is (the peer's recovery may need it); others, which anyone can forge in bulk, at
     * most once per {@link #INVALID_SEGMENT_ACK_INTERVAL_NANOS}, as Linux does.
     */
    void answerInvalidSegment(TcpSegment seg) {
        if (seg.sequenceLength() == 0 && invalidSegmentAckLimited()) {
            stats.increment(TcpStats.Counter.INVALID_SEGMENT_ACKS_RATE_LIMITED);
            return;
        }
        sendAck();
    }

    /** True if this connection answered an invalid segment too recently; else notes that it answers now. */
    private boolean invalidSegmentAckLimited() {
        long now = clock.nanoTime();
        if (answeredInvalidSegment && now - invalidSegmentAckNanos < INVALID_SEGMENT_ACK_INTERVAL_NANOS) {
            return true;
        }
        answeredInvalidSegment = true;
        invalidSegmentAckNanos = now;
        return false;
    }

    /** Moves FIN-WAIT-1, CLOSING and LAST-ACK on once our FIN is acknowledged. */
    private boolean advanceClosingStates() {
        if (!sender.isFinAcknowledged()) {
            return true;
        }
        switch (state) {
            case FIN_WAIT_1 -> {
                enterState(TcpState.FIN_WAIT_2);
                if (closedByApplicationLocked()) {
                    closingTimer().arm(config.timeWait().toNanos()); // Linux's tcp_fin_timeout for orphans
                }
            }
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                terminate(null, false);
                return false;
            }
            default -> {
            }
        }
        return true;
    }

    boolean closedByApplicationLocked() {
        synchronized (lock) {
            return closedByApplication;
        }
    }

    /** RFC 9293 §3.10.7.4, eighth check: the peer's FIN, in order (the receiver counted it). */
    void onPeerFin() {
        synchronized (lock) {
            receiveBuffer.receiveFin();
        }
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> enterState(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> enterState(TcpState.CLOSING); // our FIN is not acknowledged yet
            case FIN_WAIT_2 -> enterTimeWait();
            case TIME_WAIT -> closingTimer().arm(config.timeWait().toNanos()); // restart 2·MSL
            default -> {
            }
        }
        waiterQueue.notify(Events.IN | Events.HUP);
    }

    private void enterTimeWait() {
        enterState(TcpState.TIME_WAIT);
        synchronized (lock) {
            sendBuffer.clear(); // our FIN is acknowledged: the chunk kept for later writes is not needed for 2·MSL
        }
        sender.stopTimers();
        stopKeepalive();
        closingTimer().arm(config.timeWait().toNanos());
        waiterQueue.notify(Events.HUP);
    }

    private void onIcmpError(TransportError error, int quotedSeq) {
        // RFC 5927 §4.1: an error quoting a sequence number we never sent is forged or stale.
        if (state == TcpState.CLOSED || state == TcpState.LISTEN || sender == null || !sender.isInFlight(quotedSeq)) {
            return;
        }
        switch (error.kind()) {
            case PACKET_TOO_BIG -> {
                int ipHeader = remoteAddress.isV4() ? 20 : 40;
                int mss = error.mtu() - ipHeader - TcpHeader.MIN_LENGTH - options.timestampsLength();
                if (sender.reduceMss(mss)) {
                    output();
                }
            }
            case PORT_UNREACHABLE, HOST_UNREACHABLE, NETWORK_UNREACHABLE -> {
                IOException e = error.kind() == TransportError.Kind.PORT_UNREACHABLE
                        ? new ConnectException("Connection refused") : new NoRouteToHostException("No route to host");
                if (state == TcpState.SYN_SENT) {
                    terminate(e, false);
                } else {
                    softError = e; // RFC 1122 §4.2.3.9: soft in synchronized states
                }
            }
            default -> softError = new SocketException("ICMP " + error.kind());
        }
    }

    // =====================================================================================
    // Processor: application wake-ups
    // =====================================================================================

    private void onApplicationRead() {
        if (state.receivesData() && receiver.windowWouldGrowEnough()) {
            sendAck(); // window update (RFC 9293 §3.8.6.2.2)
        }
    }

    private void queueFin() {
        if (sender == null || !sender.queueFin()) {
            return; // queued already, or a listener, which has no FIN to send
        }
        switch (state) {
            case ESTABLISHED -> enterState(TcpState.FIN_WAIT_1);
            case CLOSE_WAIT -> enterState(TcpState.LAST_ACK);
            default -> {
                return; // SYN-SENT/SYN-RECEIVED: the FIN goes once established
            }
        }
        output();
    }

    private void onApplicationClose(boolean reset) {
        switch (state) {
            case CLOSED -> terminate(null, false);
            case LISTEN -> {
                listening.close();
                terminate(null, false);
            }
            case SYN_SENT -> terminate(null, false);
            case TIME_WAIT -> releaseForTimeWait();
            default -> {
                if (reset) {
                    terminate(null, true);
                } else {
                    queueFin();
                    if (state == TcpState.FIN_WAIT_2) {
                        closingTimer().arm(config.timeWait().toNanos());
                    }
                }
            }
        }
    }

    // =====================================================================================
    // Processor: output
    // =====================================================================================

    /**
     * Sends what the sender may send now; acknowledges if an ACK is due and nothing carried it.
     * A listener has no sender: nothing to do.
     */
    /**
     * {@link #output} as a backlog entry of its own, queued at most once at a time: a write to a
     * busy connection makes no backlog node, and writes that find it already queued leave it be,
     * since its output, run after they wrote, sends what they added.
     */
    private final class OutputTask extends SerialExecutor.Task {
        private static final VarHandle QUEUED;

        static {
            try {
                QUEUED = MethodHandles.lookup().findVarHandle(OutputTask.class, "queued", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through QUEUED
        private volatile boolean queued;

        /** Runs {@link #output} now if the connection is free, else once the thread inside gets to it. */
        void request() {
            if (!QUEUED.compareAndSet(this, false, true)) {
                return;
            }
            try {
                processor.execute(this);
            } catch (RuntimeException rejected) {
                queued = false;
                throw rejected;
            }
        }

        @Override
        public void run() {
            queued = false; // before output reads the send buffer: a later write queues it again
            output();
        }
    }

    void output() {
        if (sender == null) {
            return;
        }
        if (state.isSynchronized() && state != TcpState.TIME_WAIT && state != TcpState.FIN_WAIT_2) {
            sender.sendAllowed();
        }
        if (receiver.ackDue()) {
            sendAck();
        }
    }

    /**
     * A pure ACK carries SND.MAX, not SND.NXT: after a timeout SND.NXT falls back to SND.UNA, and
     * an ACK numbered below the peer's RCV.NXT would be unacceptable to it (RFC 9293 §3.10.7.4),
     * its acknowledgment ignored — both sides could then retransmit forever.
     */
    void sendAck() {
        TimeWaitState tw = timeWait;
        if (tw == null) {
            sendAck(sender.sndMax);
            return;
        }
        SegmentEncoder.Header h = outgoingHeader().set(tw.sndNxt, tw.rcvNxt, ACK, tw.windowField);
        if (options.timestampsEnabled) {
            h.timestamps(options.tsNow(), options.tsRecent());
        }
        SegmentEncoder.sendControl(route, h);
    }

    /** A segment without data or SYN/FIN numbered {@code seq}: an ACK, or a probe when {@code seq} is old. */
    void sendAck(int seq) {
        SegmentEncoder.sendControl(route, dataHeader(seq, ACK));
        noteAckSent();
    }

    /** The executor that owns this endpoint's protocol state; null before connect or listen and once closed. */
    /** Any thread: the link's batch that brought segments here has ended (see {@link TcpProtocol#linkBatchEnded}). */
    void linkBatchEnded() {
        Executor p = processor;
        if (p != null) {
            Runnable task = batchEndTask;
            if (task == null) {
                task = this::onLinkBatchEnd;
                batchEndTask = task;
            }
            p.execute(task);
        }
    }

    private OutputTask outputTask() {
        OutputTask task = outputTask;
        if (task == null) {
            task = new OutputTask();
            outputTask = task;
        }
        return task;
    }

    /** Inside the connection: an ACK held for the end of the link's batch is due now. */
    private void onLinkBatchEnd() {
        if (receiver != null && state != TcpState.CLOSED) {
            receiver.onBatchEnd();
            output();
        }
    }

    /** Every segment we send carries RCV.NXT: any of them settles the ACK that was due. */
    void noteAckSent() {
        receiver.onAckSent();
    }

    /**
     * The header this connection describes its next segment in: the thread's (see
     * {@link SegmentEncoder#threadHeader}), so only the thread inside the connection may call this,
     * and must have sent the segment before it calls this again.
     */
    SegmentEncoder.Header outgoingHeader() {
        return SegmentEncoder.threadHeader(localPort, remotePort);
    }

    /** The header of a data segment or ACK numbered {@code seq}, with timestamps and SACK blocks, in {@link #outgoingHeader()}. */
    SegmentEncoder.Header dataHeader(int seq, int flags) {
        SegmentEncoder.Header h = outgoingHeader().set(seq, receiver.rcvNxt, flags, receiver.advertiseWindow());
        if (options.timestampsEnabled) {
            h.timestamps(options.tsNow(), options.tsRecent());
        }
        h.sackBlocks = sackBlocks();
        return h;
    }

    /** Bytes of the options {@link #dataHeader} puts in a segment now. */
    int dataOptionsLength() {
        return TcpOptions.dataOptionsLength(options.timestampsEnabled, sackBlocks());
    }

    /**
     * Bytes the SACK blocks take in {@link #dataHeader}'s options, which the sender asks for
     * every segment it sizes.
     */
    int dataOptionsSackLength() {
        return TcpOptions.sackBlocksLength(sackBlocks());
    }

    private int[] sackBlocks() {
        // RFC 2018 §3: at most 3 blocks fit beside timestamps, 4 without.
        return options.sackEnabled ? receiver.sackBlocks(options.timestampsEnabled ? 3 : 4) : TcpOptions.NO_BLOCKS;
    }

    // =====================================================================================
    // Processor: timers
    // =====================================================================================

    /** The retransmission timer ran out before the handshake completed. */
    void onHandshakeTimeout() {
        handshake.onTimeout();
    }

    /** RFC 1122 §4.2.3.6: a keep-alive probe is numbered SND.MAX-1, which the peer must acknowledge. */
    void sendKeepaliveProbe() {
        sendAck(sender.sndMax - 1);
    }

    // =====================================================================================
    // Processor: the end
    // =====================================================================================

    /** Every state change goes through here: it keeps the RFC 4022 gauges and counters and traces the change. */
    void enterState(TcpState next) {
        TcpState previous = state;
        if (previous == next) {
            return;
        }
        boolean wasEstablished = previous == TcpState.ESTABLISHED || previous == TcpState.CLOSE_WAIT;
        boolean isEstablished = next == TcpState.ESTABLISHED || next == TcpState.CLOSE_WAIT;
        if (wasEstablished && !isEstablished) {
            stats.decrement(TcpStats.Counter.CURRENT_ESTABLISHED);
            if (next == TcpState.CLOSED) {
                stats.increment(TcpStats.Counter.ESTABLISHED_RESETS); // tcpEstabResets: straight to CLOSED
            }
        } else if (isEstablished && !wasEstablished) {
            stats.increment(TcpStats.Counter.CURRENT_ESTABLISHED);
        }
        if (next == TcpState.CLOSED && (previous == TcpState.SYN_SENT || previous == TcpState.SYN_RECEIVED)) {
            stats.increment(TcpStats.Counter.FAILED_CONNECTION_ATTEMPTS); // tcpAttemptFails
        }
        state = next;
        if (LOG.isLoggable(System.Logger.Level.TRACE)) {
            LOG.log(System.Logger.Level.TRACE, "{0}: {1} -> {2}", this, previous, next);
        }
    }

    /** Did a listener create this connection? Then a failed handshake is nobody's error. */
    boolean isPassiveOpen() {
        return passiveOpen;
    }

    /** The connection ends with {@code cause} if its route leaves through NIC {@code nicId}, whose link failed. */
    void failIfRoutedThrough(int nicId, IOException cause) {
        Executor p = processor;
        Route r = route;
        if (p != null && r != null && r.nicId() == nicId) {
            p.execute(() -> terminate(cause, false));
        }
    }

    /** Gives up on a connection that timed out, with the ICMP error that explains it if one came. */
    void terminateTimedOut(IOException reasonIfNoSoftError) {
        terminate(softError != null ? softError : reasonIfNoSoftError, false);
    }

    /** Enters CLOSED: optionally sends RST, stops timers, frees the 4-tuple and port, records the error. */
    void terminate(IOException error, boolean sendReset) {
        if (state == TcpState.CLOSED) {
            return;
        }
        TcpState previous = state;
        if (sendReset && previous != TcpState.LISTEN && previous != TcpState.SYN_SENT) {
            SegmentEncoder.sendControl(route,
                    outgoingHeader().set(sender.sndMax, receiver.rcvNxt, RST | ACK, receiver.advertiseWindow()));
            stats.increment(TcpStats.Counter.RESETS_SENT);
            TcpEvents.resetSent(this, previous);
        }
        // The error is published before CLOSED: a reader that sees CLOSED under the lock must also
        // see why, or it would take a reset for an orderly end of stream and return -1.
        IOException stackClosed = protocol.stackClosed();
        synchronized (lock) {
            if (error != null) {
                pendingError = stackClosed != null ? stackClosed : error;
            }
            sendBuffer.clear(); // nothing more is sent; the receive buffer stays for the application
        }
        enterState(TcpState.CLOSED);
        TcpEvents.closed(this, previous, error);
        if (sender != null) {
            sender.stopTimers();
            receiver.stopTimers();
            receiver.discardOutOfOrder();
            stopKeepalive();
        }
        ProcessorTimer.cancelIfMade(closingTimer);
        if (registered) {
            host.demuxer().unregister(TcpProtocol.PROTOCOL_NUMBER, registrationId(), this);
            registered = false;
        }
        if (!passiveOpen) {
            releasePort();
        }
        TcpListener parent = listener;
        if (parent != null && previous == TcpState.SYN_RECEIVED) {
            listener = null;
            parent.childGone();
        }
        waiterQueue.notify(Events.ALL);
    }

    private void releasePort() {
        IpAddress reserved;
        synchronized (lock) {
            reserved = reservedAddress;
            reservedAddress = null;
        }
        if (reserved != null) {
            host.ports().release(TcpProtocol.PROTOCOL_NUMBER, reserved, localPort, remoteAddress, remotePort);
        }
    }

    private boolean isTupleFree(IpAddress local, int port, IpAddress remote, int rport) {
        TransportEndpoint ep = host.demuxer().find(TcpProtocol.PROTOCOL_NUMBER, local, port, remote, rport);
        return !(ep instanceof TcpEndpoint t && remote.equals(t.remoteAddress) && t.remotePort == rport);
    }
}
