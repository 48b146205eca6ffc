package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.stack.IpAddress;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.PortManager;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.TransportEndpoint;
import io.jnetstack.stack.TransportEndpointId;
import io.jnetstack.stack.TransportError;
import io.jnetstack.time.Clock;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One TCP socket: unconnected, listening, or one connection (RFC 9293), in the spirit of
 * netstack's {@code tcpip.Endpoint}.
 *
 * <p>Threads. Everything under "protocol state" belongs to the endpoint's processor (chosen by
 * flow hash when the endpoint connects or listens): inbound segments, timers and wake-ups from the
 * application run there, one at a time, so that state has no lock. Application threads touch only
 * what {@link #lock} guards (send and receive buffers, the accept queue, the pending error and
 * shutdown flags), then hand work to the processor. Before {@link #connect} or {@link #listen}
 * the application thread owns the endpoint; those calls hand it over.
 *
 * <p>Nothing here blocks: {@link #accept}, {@link #read} and {@link #write} return what is
 * possible now, and the {@link #waiterQueue()} tells when more is.
 */
public final class TcpEndpoint implements TransportEndpoint {
    private static final System.Logger LOG = System.getLogger(TcpEndpoint.class.getName());
    /** RFC 9293 §3.7.1: the MSS to assume when the peer sends no MSS option (IPv4). */
    static final int DEFAULT_PEER_MSS = 536;
    /** Bytes the timestamps option adds to every segment once negotiated (RFC 7323 §3.2, padded). */
    static final int TIMESTAMPS_OPTION_LENGTH = 12;
    /** The unscaled window field's limit (RFC 9293 §3.1). */
    static final int MAX_UNSCALED_WINDOW = 0xffff;
    /** RFC 7323 §5.5: after 24 days idle TS.Recent is too old to compare (the peer's clock may have wrapped). */
    static final long PAWS_IDLE_LIMIT_NANOS = java.time.Duration.ofDays(24).toNanos();
    /** Auto-tuning measures over at least this long, so a near-zero RTT does not make it jumpy. */
    static final long MIN_AUTO_TUNING_INTERVAL_NANOS = 1_000_000;

    private final TcpProtocol protocol;
    private final TcpConfig config;
    private final TcpHost host;
    private final Clock clock;
    private final TcpStats stats;
    private final WaiterQueue waiterQueue = new WaiterQueue();

    // ---- guarded by lock: shared between the application and the processor ----
    private final Object lock = new Object();
    private final SendBuffer sendBuffer = new SendBuffer();
    private final ReceiveBuffer receiveBuffer = new ReceiveBuffer();
    private final ArrayDeque<TcpEndpoint> acceptQueue = new ArrayDeque<>();
    private int sendBufferSize;
    private int receiveBufferSize;
    /** Receive-buffer auto-tuning is on until the application sets SO_RCVBUF (as on Linux). */
    private boolean receiveBufferAutoTuning;
    /** Bytes the application has read, ever: auto-tuning measures how fast it drains. */
    private long bytesReadByApplication;
    private int backlog;
    private int halfOpenChildren;
    private boolean listenerClosed;
    private boolean writeShutdown;
    private boolean readShutdown;
    private boolean peerFinReceived;
    private boolean closedByApplication;
    private boolean connectionAttempted;
    private IOException pendingError;

    // ---- socket options: written by the application, read by the processor ----
    private volatile boolean noDelay;
    private volatile boolean keepAlive;
    private volatile long keepaliveIdleNanos;
    private volatile long keepaliveIntervalNanos;
    private volatile int keepaliveCount;
    private volatile int lingerSeconds = -1;
    private volatile boolean reuseAddress;
    private volatile long userTimeoutNanos;

    // ---- identity: set by the application before hand-over, fixed afterwards ----
    private IpAddress localAddress;
    private int localPort;
    private IpAddress remoteAddress;
    private int remotePort;
    /** The address the port reservation was made for (null: this endpoint holds no reservation). */
    private IpAddress reservedAddress;
    private TransportEndpointId registeredId;
    private Route route;
    private Executor processor;
    /** The listener that created this endpoint, until the application accepts it. */
    private volatile TcpEndpoint listener;

    private volatile TcpState state = TcpState.CLOSED;

    // ---- protocol state: processor only ----
    private int iss;
    private int irs;
    private int sndUna;
    private int sndNxt;
    /** Highest sequence number sent + 1; SND.NXT falls back below it after a timeout (go-back-N). */
    private int sndMax;
    private int sndWnd;
    private int maxSndWnd;
    private int sndWl1;
    private int sndWl2;
    /** Sequence number of the first byte in {@link #sendBuffer}. */
    private int sendBufferSeq;
    private boolean finQueued;
    private boolean finSent;
    private int rcvNxt;
    /** RCV.NXT + RCV.WND as last advertised; the right edge never moves left (RFC 9293 §3.8.6). */
    private int rcvAdvertisedEdge;
    private int sndMss;
    private int advertisedMss;
    private int sndWindowScale;
    private int rcvWindowScale;
    private boolean sackEnabled;
    private boolean timestampsEnabled;
    private int tsRecent;
    private long tsRecentSetNanos;
    private int lastAckSent;
    private int tsOffset;
    private boolean passiveOpen;
    private boolean peerOfferedWindowScale;
    private int peerWindowScale;

    private RttEstimator rtt;
    private CongestionControl congestion;
    private ReassemblyQueue outOfOrder;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private boolean outOfOrderFin;
    private int outOfOrderFinSeq;
    private int mostRecentOutOfOrderSeq;

    private boolean rttTiming;
    private int rttSeq;
    private long rttStartNanos;
    private long synSentNanos;
    private int handshakeRetransmits;
    private int consecutiveTimeouts;
    private long retransmittedSegments;
    private long segmentsSent;
    private long segmentsReceived;
    /** Data bytes the peer acknowledged, and in-order data bytes we received (tcpi_bytes_acked/_received). */
    private long bytesAcked;
    private long bytesReceived;
    private long lastProgressNanos;
    private int dupAcks;
    private boolean inRecovery;
    private int recoveryPoint;
    private int highRxt;
    /** HighData at the last timeout: no fast recovery starts until it is acknowledged (RFC 6675 §5.1). */
    private int timeoutRecoveryPoint;
    private boolean afterTimeout;
    private int persistBackoff;
    private long autoTuningMarkNanos;
    private long autoTuningMarkBytes;
    private int bytesSinceAck;
    private boolean ackNow;
    private long lastReceiveNanos;
    private int keepaliveProbesSent;
    private IOException softError;

    private ProcessorTimer retransmitTimer;
    private ProcessorTimer delayedAckTimer;
    private ProcessorTimer persistTimer;
    private ProcessorTimer keepaliveTimer;
    /** TIME-WAIT's 2·MSL, or the FIN-WAIT-2 limit of a connection the application closed. */
    private ProcessorTimer closingTimer;

    TcpEndpoint(TcpProtocol protocol) {
        this.protocol = protocol;
        this.config = protocol.config();
        this.host = protocol.host();
        this.clock = host.clock();
        this.stats = protocol.stats();
        this.sendBufferSize = config.sendBufferSize();
        this.receiveBufferSize = config.receiveBufferSize();
        this.receiveBufferAutoTuning = config.maxReceiveBufferSize() > config.receiveBufferSize();
        this.keepaliveIdleNanos = config.keepaliveIdle().toNanos();
        this.keepaliveIntervalNanos = config.keepaliveInterval().toNanos();
        this.keepaliveCount = config.keepaliveCount();
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
                this.backlog = Math.max(1, backlog); // listen() again only changes the backlog
                return;
            }
            if (state != TcpState.CLOSED || connectionAttempted || closedByApplication) {
                throw new SocketException("Cannot listen in state " + state);
            }
            if (localAddress == null) {
                throw new SocketException("Not bound");
            }
            this.backlog = Math.max(1, backlog);
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
        registeredId = id;
        protocol.track(this);
    }

    /** A connection that completed its handshake, or null if none is waiting. */
    public TcpEndpoint accept() {
        synchronized (lock) {
            TcpEndpoint child = acceptQueue.poll();
            if (child != null) {
                child.listener = null;
            }
            return child;
        }
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
        if (localAddress == null) {
            localPort = host.ports().reserveEphemeral(TcpProtocol.PROTOCOL_NUMBER, local, remote, port,
                    p -> isTupleFree(local, p, remote, port));
            reservedAddress = local;
        }
        localAddress = local;
        remoteAddress = remote;
        remotePort = port;
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
        registeredId = id;
        protocol.track(this);
        processor.execute(this::startActiveOpen);
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
        synchronized (lock) {
            if (s == TcpState.LISTEN) {
                return acceptQueue.isEmpty() ? 0 : Events.IN & mask;
            }
            boolean ended = s == TcpState.CLOSED && connectionAttempted;
            if (receiveBuffer.size() > 0 || peerFinReceived || readShutdown || ended) {
                ready |= Events.IN;
            }
            boolean writable = (s.sendsData() && !writeShutdown && sendBuffer.size() < sendBufferSize) || ended;
            if (writable) {
                ready |= Events.OUT;
            }
            if (pendingError != null) {
                ready |= Events.ERR;
            }
            if (ended || (peerFinReceived && writeShutdown)) {
                ready |= Events.HUP;
            }
        }
        return ready & mask;
    }

    /** Reads into {@code dst}: bytes read, 0 if none are ready, -1 at end of stream. */
    public int read(ByteBuffer dst) throws IOException {
        return receive(dst, false);
    }

    /** Bytes a read would return now without waiting (FIONREAD). */
    public int available() {
        synchronized (lock) {
            return receiveBuffer.size();
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
            if (receiveBuffer.size() == 0) {
                if (peerFinReceived || readShutdown) {
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
            windowWasSmall = receiveBufferSize - receiveBuffer.size() < receiveBufferSize / 2;
            n = receiveBuffer.read(dst, peek);
            if (!peek) {
                bytesReadByApplication += n;
            }
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
        int n;
        synchronized (lock) {
            if (pendingError != null) {
                IOException e = pendingError;
                pendingError = null;
                throw e;
            }
            if (writeShutdown) {
                throw new SocketException("Socket output is shut down");
            }
            TcpState s = state;
            if (s == TcpState.CLOSED || s == TcpState.LISTEN) {
                throw new SocketException(connectionAttempted ? "Broken pipe" : "Socket is not connected");
            }
            if (!s.sendsData() && s != TcpState.SYN_SENT && s != TcpState.SYN_RECEIVED) {
                throw new SocketException("Broken pipe");
            }
            n = sendBuffer.append(src, sendBufferSize - sendBuffer.size());
        }
        if (n > 0) {
            processor.execute(this::output);
        }
        return n;
    }

    /** Half-close: reads return -1 from now on; arriving data is acknowledged and dropped. */
    public void shutdownInput() {
        synchronized (lock) {
            readShutdown = true;
        }
        waiterQueue.notify(Events.IN);
    }

    /** Half-close: sends FIN after the queued data; the peer may go on sending. */
    public void shutdownOutput() {
        synchronized (lock) {
            if (writeShutdown) {
                return;
            }
            writeShutdown = true;
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
            writeShutdown = true;
            readShutdown = true;
            reset = lingerSeconds == 0 || receiveBuffer.size() > 0;
        }
        if (processor == null) {
            releasePort(); // never connected nor listened: nothing on the wire
            return;
        }
        processor.execute(() -> onApplicationClose(reset));
    }

    /** Tears the connection down at once with a RST (if it was synchronized). */
    public void abort() {
        synchronized (lock) {
            closedByApplication = true;
            writeShutdown = true;
            readShutdown = true;
        }
        if (processor == null) {
            releasePort();
            return;
        }
        processor.execute(() -> onApplicationClose(true));
    }

    // ---- options ----

    public void setNoDelay(boolean on) {
        noDelay = on;
        if (on && processor != null) {
            processor.execute(this::output);
        }
    }

    public boolean noDelay() {
        return noDelay;
    }

    /** SO_KEEPALIVE with the stack's idle/interval/count unless {@link #setKeepaliveParameters} changed them. */
    public void setKeepAlive(boolean on) {
        keepAlive = on;
        if (processor != null) {
            processor.execute(this::armKeepalive);
        }
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    /** TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT. */
    public void setKeepaliveParameters(Duration idle, Duration interval, int count) {
        keepaliveIdleNanos = idle.toNanos();
        keepaliveIntervalNanos = interval.toNanos();
        keepaliveCount = count;
        if (processor != null) {
            processor.execute(this::armKeepalive);
        }
    }

    public void setReceiveBufferSize(int bytes) {
        synchronized (lock) {
            receiveBufferSize = Math.max(bytes, 2 * DEFAULT_PEER_MSS);
            receiveBufferAutoTuning = false;
        }
    }

    public int receiveBufferSize() {
        synchronized (lock) {
            return receiveBufferSize;
        }
    }

    public void setSendBufferSize(int bytes) {
        synchronized (lock) {
            sendBufferSize = Math.max(bytes, 2 * DEFAULT_PEER_MSS);
        }
    }

    public int sendBufferSize() {
        synchronized (lock) {
            return sendBufferSize;
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

    /** A snapshot of the connection's variables (see {@link TcpInfo} about threads). */
    public TcpInfo info() {
        CongestionControl cc = congestion;
        RttEstimator r = rtt;
        return new TcpInfo(state, iss, irs, sndUna, sndNxt, sndWnd, rcvNxt, rcvAdvertisedEdge - rcvNxt, sndMss,
                sndWindowScale, rcvWindowScale, sackEnabled, timestampsEnabled, cc == null ? 0 : cc.cwnd(),
                cc == null ? 0 : cc.ssthresh(), r == null ? 0 : r.srttNanos(), r == null ? 0 : r.rtoNanos(),
                inRecovery, retransmittedSegments, consecutiveTimeouts, segmentsSent, segmentsReceived, bytesAcked,
                bytesReceived);
    }

    @Override
    public String toString() {
        return "TcpEndpoint[" + localAddress + ":" + localPort + " > " + remoteAddress + ":" + remotePort + " " + state + "]";
    }

    // =====================================================================================
    // Network side: entry points (any thread) that hand over to the processor
    // =====================================================================================

    @Override
    public void handlePacket(TransportEndpointId id, PacketInfo info, PacketBuffer packet) {
        TcpSegment.Parsed parsed = TcpSegment.parse(info, packet);
        if (parsed.segment() != null) {
            deliver(parsed.segment());
        }
    }

    /** A validated segment for this endpoint. */
    void deliver(TcpSegment seg) {
        Executor p = processor;
        if (p == null) {
            protocol.replyToClosedPort(seg);
            return;
        }
        p.execute(() -> onSegment(seg));
    }

    @Override
    public void handleError(TransportError error) {
        Executor p = processor;
        if (p != null) {
            p.execute(() -> onIcmpError(error, sndUna));
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

    /** Chooses the processor and the send-side variables; runs before the processor owns us. */
    private void initializeConnection(int initialSequenceNumber) {
        processor = host.processor(TcpProtocol.flowHash(localAddress, localPort, remoteAddress, remotePort));
        retransmitTimer = new ProcessorTimer(clock, processor, this::onRetransmitTimeout);
        delayedAckTimer = new ProcessorTimer(clock, processor, this::onDelayedAckTimeout);
        persistTimer = new ProcessorTimer(clock, processor, this::onPersistTimeout);
        keepaliveTimer = new ProcessorTimer(clock, processor, this::onKeepaliveTimeout);
        closingTimer = new ProcessorTimer(clock, processor, () -> terminate(null, false));
        rtt = new RttEstimator(config.minRto().toNanos(), config.maxRto().toNanos());
        outOfOrder = new ReassemblyQueue(config.maxOutOfOrderBytes());
        iss = initialSequenceNumber;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sendBufferSeq = iss + 1;
        tsOffset = iss; // RFC 7323 §5.4: a per-connection random offset; the ISN is one
        advertisedMss = route.maxTransportPacket() - TcpHeader.MIN_LENGTH;
        rcvWindowScale = config.windowScaling() ? windowScaleFor(largestReceiveBuffer()) : 0;
        lastProgressNanos = clock.nanoTime();
        lastReceiveNanos = lastProgressNanos;
    }

    /** The largest receive buffer this connection may have: the window scale must cover it from the SYN on. */
    private int largestReceiveBuffer() {
        synchronized (lock) {
            return receiveBufferAutoTuning ? config.maxReceiveBufferSize() : receiveBufferSize;
        }
    }

    private int receiveBufferSizeLocked() {
        synchronized (lock) {
            return receiveBufferSize;
        }
    }

    /** RFC 7323 §2.3: the smallest shift that lets the 16-bit field cover the whole buffer. */
    static int windowScaleFor(int bufferSize) {
        int shift = 0;
        while (shift < TcpOptions.MAX_WINDOW_SCALE && (bufferSize >> shift) > MAX_UNSCALED_WINDOW) {
            shift++;
        }
        return shift;
    }

    private void startActiveOpen() {
        stats.increment(TcpStats.Counter.ACTIVE_OPENS);
        synSentNanos = clock.nanoTime();
        sendSyn();
        retransmitTimer.arm(config.initialRto().toNanos());
    }

    /** Creates the endpoint for a SYN that reached {@code listener} (in the listener's thread). */
    static TcpEndpoint forSyn(TcpEndpoint listener, TcpSegment syn, Route route) {
        TcpEndpoint child = new TcpEndpoint(listener.protocol);
        child.inheritOptions(listener);
        child.listener = listener;
        child.localAddress = syn.destination;
        child.localPort = syn.destinationPort;
        child.remoteAddress = syn.source;
        child.remotePort = syn.sourcePort;
        child.route = route;
        child.passiveOpen = true;
        child.connectionAttempted = true;
        return child;
    }

    private void inheritOptions(TcpEndpoint parent) {
        noDelay = parent.noDelay;
        keepAlive = parent.keepAlive;
        keepaliveIdleNanos = parent.keepaliveIdleNanos;
        keepaliveIntervalNanos = parent.keepaliveIntervalNanos;
        keepaliveCount = parent.keepaliveCount;
        lingerSeconds = parent.lingerSeconds;
        userTimeoutNanos = parent.userTimeoutNanos;
        synchronized (parent.lock) {
            sendBufferSize = parent.sendBufferSize;
            receiveBufferSize = parent.receiveBufferSize;
            receiveBufferAutoTuning = parent.receiveBufferAutoTuning;
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
        registeredId = id;
        protocol.track(this);
        return true;
    }

    /** RFC 9293 §3.10.7.2: a SYN to LISTEN; we answer SYN-ACK and enter SYN-RECEIVED. */
    private void acceptSyn(TcpSegment syn) {
        stats.increment(TcpStats.Counter.PASSIVE_OPENS);
        irs = syn.seq;
        rcvNxt = syn.seq + 1;
        negotiateFromSyn(syn.options);
        sndWnd = syn.window; // never scaled in a SYN (RFC 7323 §2.2)
        maxSndWnd = sndWnd;
        sndWl1 = syn.seq;
        sndWl2 = iss;
        enterState(TcpState.SYN_RECEIVED);
        sendSynAck();
        retransmitTimer.arm(config.initialRto().toNanos());
    }

    /** A connection whose SYN cookie proved the handshake (RFC 4987 §3.6): straight to ESTABLISHED. */
    private void acceptCookie(TcpSegment ack, int mss, SynCookieOptions options) {
        stats.increment(TcpStats.Counter.PASSIVE_OPENS);
        irs = ack.seq - 1;
        rcvNxt = ack.seq;
        timestampsEnabled = options != null;
        boolean scaling = options != null && options.peerWindowScale() >= 0 && config.windowScaling();
        sndWindowScale = scaling ? options.peerWindowScale() : 0;
        if (!scaling) {
            rcvWindowScale = 0;
        }
        sackEnabled = options != null && options.sackPermitted() && config.sack();
        if (timestampsEnabled) {
            updateTsRecent(ack.options.tsVal());
        }
        sndMss = Math.min(mss, advertisedMss) - (timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0);
        rcvAdvertisedEdge = rcvNxt + Math.min(receiveBufferSizeLocked(), MAX_UNSCALED_WINDOW);
        sndWnd = ack.window << sndWindowScale;
        maxSndWnd = sndWnd;
        sndWl1 = ack.seq;
        sndWl2 = ack.ack;
        establish();
        onSegment(ack);
    }

    /** Takes the peer's SYN options and decides what this connection uses (RFC 7323, RFC 2018). */
    private void negotiateFromSyn(TcpOptions o) {
        int peerMss = o.mss() > 0 ? o.mss() : DEFAULT_PEER_MSS;
        peerOfferedWindowScale = o.windowScale() >= 0;
        peerWindowScale = Math.max(o.windowScale(), 0);
        boolean scaling = config.windowScaling() && peerOfferedWindowScale;
        sndWindowScale = scaling ? peerWindowScale : 0;
        if (!scaling) {
            rcvWindowScale = 0;
        }
        sackEnabled = config.sack() && o.sackPermitted();
        timestampsEnabled = config.timestamps() && o.hasTimestamps();
        if (timestampsEnabled) {
            updateTsRecent(o.tsVal());
        }
        sndMss = Math.min(peerMss, advertisedMss) - (timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0);
    }

    private void establish() {
        enterState(finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED);
        congestion = CongestionControl.create(config.congestionControl(), sndMss, clock);
        retransmitTimer.cancel();
        consecutiveTimeouts = 0;
        handshakeRetransmits = 0;
        lastReceiveNanos = clock.nanoTime();
        armKeepalive();
        TcpEndpoint parent = listener;
        if (parent != null) {
            parent.childEstablished(this);
        }
        waiterQueue.notify(Events.OUT);
    }

    // =====================================================================================
    // Processor: segment arrival (RFC 9293 §3.10.7)
    // =====================================================================================

    private void onSegment(TcpSegment seg) {
        segmentsReceived++;
        switch (state) {
            case CLOSED -> protocol.replyToClosedPort(seg);
            case LISTEN -> onListenSegment(seg);
            case SYN_SENT -> onSynSentSegment(seg);
            default -> onSynchronizedSegment(seg);
        }
    }

    /** RFC 9293 §3.10.7.2. */
    private void onListenSegment(TcpSegment seg) {
        if (seg.has(RST)) {
            return;
        }
        if (seg.has(ACK)) {
            if (!seg.has(SYN) && acceptSynCookie(seg)) {
                return;
            }
            protocol.sendReset(seg, seg.ack, 0, RST);
            return;
        }
        if (!seg.has(SYN)) {
            return;
        }
        Route childRoute;
        try {
            childRoute = host.findRoute(seg.nicId, seg.destination, seg.source);
        } catch (NoRouteToHostException e) {
            return;
        }
        boolean useCookie;
        synchronized (lock) {
            if (listenerClosed) {
                return;
            }
            if (acceptQueue.size() >= backlog) {
                stats.increment(TcpStats.Counter.LISTEN_OVERFLOWS);
                stats.increment(TcpStats.Counter.LISTEN_DROPS);
                return; // as Linux: drop the SYN; the client retries once the application accepts
            }
            useCookie = halfOpenChildren >= Math.min(backlog, config.synQueueLength());
            if (!useCookie) {
                halfOpenChildren++;
            }
        }
        if (useCookie) {
            sendSynCookie(seg, childRoute);
            return;
        }
        TcpEndpoint child = forSyn(this, seg, childRoute);
        child.initializeConnection(protocol.isnGenerator().isn(seg.destination, seg.destinationPort, seg.source,
                seg.sourcePort));
        if (!child.register()) {
            childGone();
            return;
        }
        child.processor.execute(() -> child.acceptSyn(seg));
    }

    /**
     * RFC 4987 §3.6: with the SYN queue full, answer with a SYN-ACK whose ISN encodes the
     * connection and the peer's MSS, and keep no state. Window scaling and SACK ride in the TSval
     * ({@link SynCookieOptions}); a peer without timestamps gets neither.
     */
    private void sendSynCookie(TcpSegment syn, Route r) {
        int peerMss = syn.options.mss() > 0 ? syn.options.mss() : DEFAULT_PEER_MSS;
        int cookie = protocol.synCookies().encode(syn.destination, syn.destinationPort, syn.source, syn.sourcePort,
                syn.seq, Math.min(peerMss, r.maxTransportPacket() - TcpHeader.MIN_LENGTH));
        int ourMss = r.maxTransportPacket() - TcpHeader.MIN_LENGTH;
        TcpOptions options = new TcpOptions(ourMss, -1, false, false, 0, 0, new int[0]);
        TcpOptions o = syn.options;
        if (config.timestamps() && o.hasTimestamps()) {
            // The cookie's connection will use the cookie as ISN and so as its TSval offset (see tsNow).
            int now = (int) (clock.nanoTime() / 1_000_000L) + cookie;
            boolean scaling = config.windowScaling() && o.windowScale() >= 0;
            boolean sack = config.sack() && o.sackPermitted();
            int tsVal = new SynCookieOptions(scaling ? o.windowScale() : -1, sack).encodeInto(now);
            options = new TcpOptions(ourMss, scaling ? windowScaleFor(largestReceiveBuffer()) : -1, sack, true, tsVal,
                    o.tsVal(), new int[0]);
        }
        SegmentEncoder.sendControl(r, new SegmentEncoder.Header(syn.destinationPort, syn.sourcePort, cookie,
                syn.seq + 1, SYN | ACK, Math.min(receiveBufferSizeLocked(), MAX_UNSCALED_WINDOW), options));
        stats.increment(TcpStats.Counter.SYN_COOKIES_SENT);
    }

    private boolean acceptSynCookie(TcpSegment ack) {
        int mss = protocol.synCookies().decodeMss(ack.destination, ack.destinationPort, ack.source, ack.sourcePort,
                ack.seq - 1, ack.ack - 1);
        if (mss < 0) {
            stats.increment(TcpStats.Counter.SYN_COOKIES_FAILED);
            return false;
        }
        Route childRoute;
        try {
            childRoute = host.findRoute(ack.nicId, ack.destination, ack.source);
        } catch (NoRouteToHostException e) {
            return false;
        }
        synchronized (lock) {
            if (listenerClosed || acceptQueue.size() >= backlog) {
                stats.increment(TcpStats.Counter.LISTEN_OVERFLOWS);
                return true; // dropped; the client's data retransmission tries again
            }
            halfOpenChildren++; // balanced by childEstablished
        }
        stats.increment(TcpStats.Counter.SYN_COOKIES_VALIDATED);
        TcpEndpoint child = forSyn(this, ack, childRoute);
        child.initializeConnection(ack.ack - 1);
        if (!child.register()) {
            childGone();
            return true;
        }
        SynCookieOptions options = config.timestamps() && ack.options.hasTimestamps()
                ? SynCookieOptions.decode(ack.options.tsEcr()) : null;
        child.processor.execute(() -> child.acceptCookie(ack, mss, options));
        return true;
    }

    /** Called by a child (on its processor) when its handshake completes. */
    private void childEstablished(TcpEndpoint child) {
        boolean queued;
        synchronized (lock) {
            halfOpenChildren--;
            queued = !listenerClosed && acceptQueue.size() < backlog;
            if (queued) {
                acceptQueue.add(child);
            }
        }
        if (queued) {
            waiterQueue.notify(Events.IN);
        } else {
            stats.increment(TcpStats.Counter.LISTEN_OVERFLOWS);
            child.listener = null;
            child.terminate(null, true);
        }
    }

    /** Called when a half-open child dies before its handshake completes. */
    private void childGone() {
        synchronized (lock) {
            halfOpenChildren--;
        }
    }

    /** RFC 9293 §3.10.7.3. */
    private void onSynSentSegment(TcpSegment seg) {
        boolean ackAcceptable = seg.has(ACK) && SeqNum.gt(seg.ack, iss) && SeqNum.leq(seg.ack, sndMax);
        if (seg.has(ACK) && !ackAcceptable) {
            if (!seg.has(RST)) {
                protocol.sendReset(seg, seg.ack, 0, RST);
            }
            return;
        }
        if (seg.has(RST)) {
            if (ackAcceptable) {
                stats.increment(TcpStats.Counter.RESETS_RECEIVED);
                terminate(new ConnectException("Connection refused"), false);
            }
            return;
        }
        if (!seg.has(SYN)) {
            return;
        }
        irs = seg.seq;
        rcvNxt = seg.seq + 1;
        negotiateFromSyn(seg.options);
        sndWnd = seg.window;
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq;
        sndWl2 = seg.ack;
        rcvAdvertisedEdge = rcvNxt + Math.min(receiveBufferSizeLocked(), MAX_UNSCALED_WINDOW);
        if (ackAcceptable) {
            if (handshakeRetransmits == 0) {
                rtt.sample(clock.nanoTime() - synSentNanos); // Karn: only an unambiguous SYN gives a sample
            }
            sndUna = seg.ack;
            establish();
            sendAck();
            output();
        } else {
            // Simultaneous open (RFC 9293 §3.5, figure 8): answer SYN-ACK with our original ISN.
            enterState(TcpState.SYN_RECEIVED);
            sendSynAck();
            retransmitTimer.arm(rtt.rtoNanos());
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
        if (state == TcpState.SYN_RECEIVED && seg.has(SYN) && !seg.has(ACK) && seg.seq == irs) {
            sendSynAck(); // the peer did not hear our SYN-ACK
            return;
        }
        TcpOptions o = seg.options;
        // RFC 7323 §5.3 (PAWS): a segment with an older timestamp than TS.Recent is an old duplicate.
        if (timestampsEnabled && o.hasTimestamps() && !seg.has(RST) && SeqNum.lt(o.tsVal(), tsRecent)
                && clock.nanoTime() - tsRecentSetNanos < PAWS_IDLE_LIMIT_NANOS) {
            stats.increment(TcpStats.Counter.INVALID_SEGMENTS);
            sendAck();
            return;
        }
        if (!isAcceptable(seg)) {
            if (!seg.has(RST)) {
                stats.increment(TcpStats.Counter.INVALID_SEGMENTS);
                sendAck();
                if (state == TcpState.TIME_WAIT && seg.has(FIN)) {
                    closingTimer.arm(config.timeWait().toNanos()); // a retransmitted FIN restarts 2·MSL
                }
            }
            return;
        }
        if (seg.has(RST)) {
            onReset(seg);
            return;
        }
        if (seg.has(SYN)) {
            sendChallengeAck(); // RFC 5961 §4.2: a SYN in a synchronized state may be forged
            return;
        }
        if (!seg.has(ACK)) {
            return;
        }
        // RFC 7323 §4.3 (R3): remember the timestamp of the segment that covers Last.ACK.sent.
        if (timestampsEnabled && o.hasTimestamps() && SeqNum.leq(seg.seq, lastAckSent)) {
            updateTsRecent(o.tsVal());
        }
        lastReceiveNanos = clock.nanoTime();
        keepaliveProbesSent = 0;
        if (state == TcpState.SYN_RECEIVED) {
            if (!(SeqNum.gt(seg.ack, sndUna) && SeqNum.leq(seg.ack, sndMax))) {
                protocol.sendReset(seg, seg.ack, 0, RST);
                return;
            }
            if (handshakeRetransmits == 0) {
                rtt.sample(clock.nanoTime() - synSentNanos);
            }
            sndUna = iss + 1;
            sndWnd = seg.window << sndWindowScale;
            maxSndWnd = sndWnd;
            sndWl1 = seg.seq;
            sndWl2 = seg.ack;
            establish();
        }
        if (!onAck(seg)) {
            return;
        }
        if (seg.payloadLength > 0 || seg.has(FIN)) {
            onText(seg);
        }
        output();
    }

    /** RFC 6191 §2: is this SYN to a TIME-WAIT connection from a later incarnation? */
    private boolean isNewerIncarnation(TcpSegment syn) {
        if (timestampsEnabled && syn.options.hasTimestamps()) {
            return SeqNum.gt(syn.options.tsVal(), tsRecent);
        }
        return SeqNum.gt(syn.seq, rcvNxt);
    }

    /** RFC 9293 §3.10.7.4, first check: does any part of the segment fall in the receive window? */
    private boolean isAcceptable(TcpSegment seg) {
        int window = Math.max(0, rcvAdvertisedEdge - rcvNxt);
        int len = seg.sequenceLength();
        if (len == 0) {
            return window == 0 ? seg.seq == rcvNxt : SeqNum.inWindow(seg.seq, rcvNxt, window);
        }
        if (window == 0) {
            return false;
        }
        return SeqNum.inWindow(seg.seq, rcvNxt, window) || SeqNum.inWindow(seg.seq + len - 1, rcvNxt, window);
    }

    /** RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; one elsewhere in the window is challenged. */
    private void onReset(TcpSegment seg) {
        if (seg.seq != rcvNxt) {
            sendChallengeAck();
            return;
        }
        stats.increment(TcpStats.Counter.RESETS_RECEIVED);
        switch (state) {
            case SYN_RECEIVED -> terminate(passiveOpen ? null : new ConnectException("Connection refused"), false);
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> terminate(new SocketException("Connection reset"), false);
            default -> terminate(null, false); // CLOSING, LAST-ACK, TIME-WAIT: just close
        }
    }

    /** RFC 5961 §7: challenge ACKs are rate-limited stack-wide, so they cannot be used to flood. */
    private void sendChallengeAck() {
        if (!protocol.challengeAckAllowed()) {
            return;
        }
        stats.increment(TcpStats.Counter.CHALLENGE_ACKS_SENT);
        sendAck();
    }

    /**
     * RFC 9293 §3.10.7.4 fifth check, with RFC 5961 §5.2's acceptable range. Returns false if the
     * segment is to be dropped.
     */
    private boolean onAck(TcpSegment seg) {
        int ack = seg.ack;
        if (SeqNum.gt(ack, sndMax)) {
            sendAck(); // acknowledges something not yet sent
            return false;
        }
        if (SeqNum.lt(ack, sndUna - maxSndWnd)) {
            sendChallengeAck(); // RFC 5961 §5.2: too old to be real
            return false;
        }
        int scaledWindow = seg.window << sndWindowScale;
        if (sackEnabled) {
            int[] blocks = seg.options.sackBlocks();
            for (int i = 0; i + 1 < blocks.length; i += 2) {
                scoreboard.add(blocks[i], blocks[i + 1], SeqNum.max(ack, sndUna), sndMax);
            }
        }
        if (SeqNum.gt(ack, sndUna)) {
            onNewAck(seg, ack);
        } else if (ack == sndUna && seg.payloadLength == 0 && !seg.has(FIN) && scaledWindow == sndWnd
                && sndMax != sndUna) {
            onDuplicateAck(); // RFC 5681 §2's definition of a duplicate ACK
        }
        // RFC 9293 §3.10.7.4: update the send window only from segments not older than the last update.
        if (SeqNum.lt(sndWl1, seg.seq) || (sndWl1 == seg.seq && SeqNum.leq(sndWl2, ack))) {
            boolean opened = sndWnd == 0 && scaledWindow > 0;
            sndWnd = scaledWindow;
            sndWl1 = seg.seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            if (opened) {
                persistTimer.cancel();
                persistBackoff = 0;
            }
        }
        return advanceClosingStates();
    }

    private void onNewAck(TcpSegment seg, int ack) {
        int acked = ack - sndUna;
        int flightBefore = sndMax - sndUna;
        boolean finAcked = finSent && ack == finSeq() + 1;
        int dataAcked = acked - (finAcked ? 1 : 0);
        synchronized (lock) {
            int droppable = Math.min(dataAcked, sendBuffer.size());
            sendBuffer.dropAcknowledged(droppable);
            sendBufferSeq += droppable;
            bytesAcked += droppable;
        }
        sndUna = ack;
        if (SeqNum.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        if (SeqNum.lt(highRxt, sndUna)) {
            highRxt = sndUna;
        }
        scoreboard.advance(ack);
        long sample = rttSample(seg, ack);
        if (sample >= 0) {
            rtt.sample(sample);
            rtt.resetBackoff();
        }
        consecutiveTimeouts = 0;
        lastProgressNanos = clock.nanoTime();
        if (inRecovery) {
            if (SeqNum.geq(ack, recoveryPoint)) {
                inRecovery = false; // RFC 6582 §3.2 step 3 / RFC 6675 §5: full acknowledgment
                congestion.onExitRecovery();
            } else if (!sackEnabled) {
                retransmitFirstUnacknowledged(); // RFC 6582 §3.2 step 3: a partial ACK reveals the next hole
            }
        } else {
            congestion.onAck(acked, flightBefore, sample);
        }
        dupAcks = 0;
        if (sndUna == sndMax) {
            retransmitTimer.cancel();
        } else {
            retransmitTimer.arm(retransmitDelay()); // RFC 6298 §5.3
        }
        waiterQueue.notify(Events.OUT);
    }

    /** An RTT sample for an ACK of new data, or -1: from the echoed timestamp, else the one timed segment (Karn). */
    private long rttSample(TcpSegment seg, int ack) {
        if (timestampsEnabled && seg.options.hasTimestamps() && seg.options.tsEcr() != 0) {
            long ms = tsNow() - seg.options.tsEcr();
            return ms >= 0 ? ms * 1_000_000L : -1; // RFC 7323 §4.2: any ACK of new data may be used
        }
        if (rttTiming && SeqNum.gt(ack, rttSeq)) {
            rttTiming = false;
            return clock.nanoTime() - rttStartNanos;
        }
        return -1;
    }

    /** RFC 5681 §3.2, RFC 6675 §5: the third duplicate ACK (or SACKed loss) starts fast recovery. */
    private void onDuplicateAck() {
        dupAcks++;
        if (inRecovery) {
            return; // output() uses the new SACK information or inflated pipe
        }
        if (afterTimeout && SeqNum.lt(sndUna, timeoutRecoveryPoint)) {
            return; // still resending what the timeout declared lost
        }
        afterTimeout = false;
        boolean lost = dupAcks >= SackScoreboard.DUP_THRESH || (sackEnabled && scoreboard.isLost(sndUna, sndMss));
        if (!lost) {
            return;
        }
        inRecovery = true;
        recoveryPoint = sndMax;
        highRxt = sndUna;
        congestion.onEnterRecovery(sndMax - sndUna);
        stats.increment(TcpStats.Counter.FAST_RETRANSMITS);
        if (sackEnabled) {
            stats.increment(TcpStats.Counter.SACK_RECOVERY_EPISODES);
        }
        retransmitFirstUnacknowledged();
    }

    private void retransmitFirstUnacknowledged() {
        int len = Math.min(payloadCapacity(), dataEnd() - sndUna);
        boolean fin = finSent && sndUna + len == finSeq();
        transmit(sndUna, Math.max(len, 0), fin);
        highRxt = SeqNum.max(highRxt, sndUna + Math.max(len, 0) + (fin ? 1 : 0));
        rttTiming = false; // Karn: a retransmission makes the timed segment ambiguous
    }

    /** Moves FIN-WAIT-1, CLOSING and LAST-ACK on once our FIN is acknowledged. */
    private boolean advanceClosingStates() {
        boolean finAcked = finSent && sndUna == finSeq() + 1;
        if (!finAcked) {
            return true;
        }
        switch (state) {
            case FIN_WAIT_1 -> {
                enterState(TcpState.FIN_WAIT_2);
                if (closedByApplicationLocked()) {
                    closingTimer.arm(config.timeWait().toNanos()); // Linux's tcp_fin_timeout for orphans
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

    private boolean closedByApplicationLocked() {
        synchronized (lock) {
            return closedByApplication;
        }
    }

    /** RFC 9293 §3.10.7.4, seventh and eighth checks: segment text and FIN. */
    private void onText(TcpSegment seg) {
        int start = seg.seq;
        int skip = 0;
        int len = seg.payloadLength;
        boolean fin = seg.has(FIN);
        if (SeqNum.lt(start, rcvNxt)) {
            int old = rcvNxt - start;
            if (old > len) {
                fin = fin && old == len; // FIN itself old unless it sits exactly at RCV.NXT
                skip = len;
                len = 0;
            } else {
                skip = old;
                len -= old;
            }
            start = rcvNxt;
        }
        int windowEnd = SeqNum.max(rcvAdvertisedEdge, rcvNxt);
        if (SeqNum.gt(start + len, windowEnd)) {
            len = Math.max(0, windowEnd - start);
            fin = false; // the FIN lies beyond what we accepted
        }
        if (len > 0 && state.receivesData()) {
            if (closedByApplicationLocked()) {
                // RFC 1122 §4.2.2.13 / RFC 2525 §2.17: nobody will read this; tell the peer its data is lost.
                terminate(null, true);
                return;
            }
            receiveData(seg, skip, start, len);
        }
        if (fin) {
            int finSeq = start + len;
            if (finSeq == rcvNxt) {
                onFin();
            } else if (SeqNum.gt(finSeq, rcvNxt)) {
                outOfOrderFin = true; // handled when the reassembly queue drains up to it
                outOfOrderFinSeq = finSeq;
            }
        }
    }

    private void receiveData(TcpSegment seg, int skip, int start, int len) {
        int from = seg.payloadOffset + skip;
        if (start != rcvNxt) {
            stats.increment(TcpStats.Counter.OUT_OF_ORDER_SEGMENTS);
            int[] seq = {start};
            seg.packet.forEachRange(from, len, (a, off, n) -> {
                outOfOrder.add(seq[0], a, off, n);
                seq[0] += n;
            });
            mostRecentOutOfOrderSeq = start;
            ackNow = true; // RFC 5681 §4.2: out-of-order data is acknowledged at once
            return;
        }
        synchronized (lock) {
            if (!readShutdown) {
                seg.packet.forEachRange(from, len, receiveBuffer::append);
            }
        }
        rcvNxt += len;
        bytesReceived += len;
        bytesSinceAck += len;
        if (!outOfOrder.isEmpty()) {
            int drained;
            synchronized (lock) {
                boolean discard = readShutdown;
                drained = outOfOrder.drainInto(rcvNxt, (a, off, n) -> {
                    if (!discard) {
                        receiveBuffer.appendCopy(a, off, n); // the queue reuses its arrays
                    }
                });
            }
            rcvNxt += drained;
            bytesReceived += drained;
            ackNow = true; // RFC 5681 §4.2: an ACK for data that fills a hole goes out at once
            if (outOfOrderFin && rcvNxt == outOfOrderFinSeq) {
                outOfOrderFin = false;
                onFin();
            }
        }
        autoTuneReceiveBuffer();
        // RFC 9293 §3.8.6.3 / RFC 5681 §4.2: ACK at least every second full-sized segment.
        if (bytesSinceAck >= 2 * maxSegmentGuess()) {
            ackNow = true;
        } else {
            delayedAckTimer.armIfIdle(config.delayedAckTimeout().toNanos());
        }
        waiterQueue.notify(Events.IN);
    }

    /**
     * Receive-buffer auto-tuning in the manner of Linux's tcp_rcv_space_adjust (and RFC 7323 §2's
     * reason for window scaling): once per round trip, if the application read more than half
     * the buffer, the sender is limited by our window rather than by the network, so the buffer
     * doubles, up to {@link TcpConfig#maxReceiveBufferSize}.
     */
    private void autoTuneReceiveBuffer() {
        long now = clock.nanoTime();
        long roundTrip = Math.max(rtt.srttNanos(), MIN_AUTO_TUNING_INTERVAL_NANOS);
        if (now - autoTuningMarkNanos < roundTrip) {
            return;
        }
        synchronized (lock) {
            long drained = bytesReadByApplication - autoTuningMarkBytes;
            autoTuningMarkBytes = bytesReadByApplication;
            if (receiveBufferAutoTuning && drained > receiveBufferSize / 2) {
                receiveBufferSize = (int) Math.min((long) receiveBufferSize * 2, config.maxReceiveBufferSize());
            }
        }
        autoTuningMarkNanos = now;
    }

    /** The size of a full segment from the peer: what we allowed it, less its timestamps. */
    private int maxSegmentGuess() {
        int mss = advertisedMss > 0 ? advertisedMss : DEFAULT_PEER_MSS;
        return mss - (timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0);
    }

    /** RFC 9293 §3.10.7.4, eighth check. */
    private void onFin() {
        rcvNxt += 1;
        synchronized (lock) {
            peerFinReceived = true;
        }
        ackNow = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> enterState(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> enterState(TcpState.CLOSING); // our FIN is not acknowledged yet
            case FIN_WAIT_2 -> enterTimeWait();
            case TIME_WAIT -> closingTimer.arm(config.timeWait().toNanos()); // restart 2·MSL
            default -> {
            }
        }
        waiterQueue.notify(Events.IN | Events.HUP);
    }

    private void enterTimeWait() {
        enterState(TcpState.TIME_WAIT);
        retransmitTimer.cancel();
        persistTimer.cancel();
        keepaliveTimer.cancel();
        closingTimer.arm(config.timeWait().toNanos());
        waiterQueue.notify(Events.HUP);
    }

    private void onIcmpError(TransportError error, int quotedSeq) {
        // RFC 5927 §4.1: an error quoting a sequence number we never sent is forged or stale.
        if (state == TcpState.CLOSED || state == TcpState.LISTEN
                || !(SeqNum.geq(quotedSeq, sndUna) && SeqNum.lt(quotedSeq, sndMax))) {
            return;
        }
        switch (error.kind()) {
            case PACKET_TOO_BIG -> {
                int ipHeader = remoteAddress.isV4() ? 20 : 40;
                int mss = error.mtu() - ipHeader - TcpHeader.MIN_LENGTH - (timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0);
                if (mss >= 68 && mss < sndMss) { // RFC 1191 §3: never below a sane minimum
                    sndMss = mss;
                    if (congestion != null) {
                        congestion.setMss(mss);
                    }
                    sndNxt = sndUna; // resend what was too big
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
        if (state.receivesData() && windowWouldGrowEnough()) {
            sendAck(); // window update (RFC 9293 §3.8.6.2.2)
        }
    }

    private void queueFin() {
        if (finQueued) {
            return;
        }
        finQueued = true;
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
            case LISTEN -> closeListener();
            case SYN_SENT -> terminate(null, false);
            case TIME_WAIT -> {
            }
            default -> {
                if (reset) {
                    terminate(null, true);
                } else {
                    queueFin();
                    if (state == TcpState.FIN_WAIT_2) {
                        closingTimer.arm(config.timeWait().toNanos());
                    }
                }
            }
        }
    }

    private void closeListener() {
        ArrayDeque<TcpEndpoint> pending;
        synchronized (lock) {
            listenerClosed = true;
            pending = new ArrayDeque<>(acceptQueue);
            acceptQueue.clear();
        }
        for (TcpEndpoint child : pending) {
            child.abort();
        }
        terminate(null, false);
    }

    // =====================================================================================
    // Processor: output
    // =====================================================================================

    private int dataEnd() {
        synchronized (lock) {
            return sendBufferSeq + sendBuffer.size();
        }
    }

    private int finSeq() {
        return dataEnd();
    }

    /** Bytes the sender believes are in the network (RFC 6675 §4 SetPipe when recovering). */
    private int pipe() {
        if (!inRecovery) {
            // SACKed bytes that go-back-N stepped over have left the network.
            return sndNxt - sndUna - (scoreboard.isEmpty() ? 0 : scoreboard.sackedBelow(sndNxt));
        }
        if (sackEnabled) {
            return scoreboard.pipe(sndUna, sndMax, highRxt, sndMss);
        }
        // NewReno (RFC 6582 §3.2): every duplicate ACK says a segment has left the network.
        return Math.max(0, (sndMax - sndUna) - dupAcks * sndMss);
    }

    /**
     * Sends what the windows, Nagle and SWS avoidance allow; acknowledges if an ACK is due and
     * nothing carried it.
     */
    private void output() {
        boolean sending = state.isSynchronized() && state != TcpState.TIME_WAIT && state != TcpState.FIN_WAIT_2;
        if (sending && congestion != null) {
            while (sendOneSegment()) {
                // keep going while something was sent
            }
            updatePersistTimer();
        }
        if (ackNow) {
            sendAck();
        }
    }

    /** Sends the next segment (retransmission of a lost hole first); false if nothing may go now. */
    private boolean sendOneSegment() {
        // RFC 3042 (limited transmit): the first two duplicate ACKs each let one new segment go.
        int limitedTransmit = inRecovery ? 0 : Math.min(dupAcks, 2) * sndMss;
        int cwndRoom = congestion.cwnd() + limitedTransmit - pipe();
        int end = dataEnd();
        if (!inRecovery && SeqNum.lt(sndNxt, sndMax)) {
            sndNxt = scoreboard.skipSacked(sndNxt); // going back N, but not over what the peer has SACKed
        }
        int available = end - sndNxt; // -1 once our FIN is sent
        int windowRoom = sndUna + sndWnd - sndNxt;
        if (inRecovery && sackEnabled && cwndRoom >= sndMss) {
            // RFC 6675 §5 step (C), NextSeg: a lost hole first (rule 1), new data next (rule 2), and
            // when no new data may go, any hole below the highest SACKed byte (rule 3).
            int from = SeqNum.max(highRxt, sndUna);
            int[] hole = scoreboard.nextHole(from, sndMss, true);
            if (hole == null && (available <= 0 || windowRoom <= 0)) {
                hole = scoreboard.nextHole(from, sndMss, false);
            }
            if (hole != null) {
                int len = Math.min(Math.min(hole[1], payloadCapacity()), Math.max(0, end - hole[0]));
                boolean fin = finSent && hole[0] + len == end;
                transmit(hole[0], len, fin);
                highRxt = hole[0] + len + (fin ? 1 : 0);
                return true;
            }
        }
        int capacity = payloadCapacity();
        int len = Math.max(0, Math.min(Math.min(available, capacity), Math.min(windowRoom, cwndRoom)));
        if (SeqNum.lt(sndNxt, sndMax)) {
            len = scoreboard.unsackedRun(sndNxt, len);
        }
        boolean finDue = finQueued && sndNxt + len == end;
        if (len == 0 && !finDue) {
            return false;
        }
        if (len > 0 && !finDue && !mayTransmit(len, available, capacity)) {
            return false;
        }
        if (len == 0 && cwndRoom <= 0 && sndNxt != sndUna) {
            return false; // a bare FIN waits for the congestion window like data
        }
        transmit(sndNxt, len, finDue);
        return true;
    }

    /**
     * RFC 9293 §3.8.6.2.1 (sender SWS avoidance) with Nagle (RFC 896): send a full segment, or
     * everything queued, or half the largest window the peer offered, and a small segment only
     * when nothing is unacknowledged or TCP_NODELAY is on.
     */
    private boolean mayTransmit(int len, int available, int capacity) {
        if (len >= capacity) {
            return true;
        }
        boolean idle = sndNxt == sndUna;
        boolean pushable = len == available || len >= maxSndWnd / 2;
        return pushable && (noDelay || idle);
    }

    /** Sends [seq, seq+len) of the send buffer (and FIN) with the current ACK and window. */
    private void transmit(int seq, int len, boolean fin) {
        int flags = ACK | (fin ? FIN : 0);
        PacketBuffer packet;
        SegmentEncoder.Header h;
        synchronized (lock) {
            boolean lastQueued = seq + len == sendBufferSeq + sendBuffer.size();
            if (len > 0 && lastQueued) {
                flags |= PSH;
            }
            h = header(seq, flags, dataOptions());
            packet = SegmentEncoder.newPacket(route, h);
            sendBuffer.sliceInto(packet, seq - sendBufferSeq, len);
        }
        SegmentEncoder.send(route, packet, h);
        noteAckSent();
        int segEnd = seq + len + (fin ? 1 : 0);
        boolean retransmission = SeqNum.lt(seq, sndMax);
        if (retransmission) {
            retransmittedSegments++;
            stats.increment(TcpStats.Counter.RETRANSMITTED_SEGMENTS);
            if (rttTiming && SeqNum.inRange(rttSeq, seq, segEnd)) {
                rttTiming = false; // Karn's algorithm (RFC 6298 §3)
            }
        } else if (!rttTiming && !timestampsEnabled && len > 0) {
            rttTiming = true;
            rttSeq = seq;
            rttStartNanos = clock.nanoTime();
        }
        if (seq == sndNxt) {
            sndNxt = segEnd;
        }
        if (SeqNum.gt(segEnd, sndMax)) {
            sndMax = segEnd;
        }
        if (fin) {
            finSent = true;
        }
        if (sndUna == seq && !retransmission) {
            lastProgressNanos = clock.nanoTime(); // the user timeout counts from the first unacknowledged send
        }
        retransmitTimer.armIfIdle(retransmitDelay());
        segmentsSent++;
        stats.increment(TcpStats.Counter.SEGMENTS_SENT);
    }

    /**
     * Nothing in flight yet data waiting means the peer's window holds it back: zero, or too small
     * for SWS avoidance to use. The persist timer then probes or overrides (RFC 9293 §3.8.6.1–2).
     */
    private void updatePersistTimer() {
        boolean stalledByWindow = sndNxt == sndUna && SeqNum.lt(sndNxt, dataEnd());
        if (stalledByWindow) {
            persistTimer.armIfIdle(persistInterval());
        } else {
            persistTimer.cancel();
        }
    }

    private long persistInterval() {
        return Math.min(rtt.rtoNanos() << Math.min(persistBackoff, 20), config.maxRto().toNanos());
    }

    private void sendSyn() {
        TcpOptions options = new TcpOptions(advertisedMss, config.windowScaling() ? rcvWindowScale : -1, config.sack(),
                config.timestamps(), config.timestamps() ? tsNow() : 0, 0, new int[0]);
        SegmentEncoder.sendControl(route, new SegmentEncoder.Header(localPort, remotePort, iss, 0, SYN,
                Math.min(receiveBufferSizeLocked(), MAX_UNSCALED_WINDOW), options));
    }

    private void sendSynAck() {
        int window = Math.min(receiveBufferSizeLocked(), MAX_UNSCALED_WINDOW);
        rcvAdvertisedEdge = rcvNxt + window;
        TcpOptions options = new TcpOptions(advertisedMss, sndWindowScaleOffered() ? rcvWindowScale : -1, sackEnabled,
                timestampsEnabled, timestampsEnabled ? tsNow() : 0, tsRecent, new int[0]);
        SegmentEncoder.sendControl(route, new SegmentEncoder.Header(localPort, remotePort, iss, rcvNxt, SYN | ACK,
                window, options));
        noteAckSent();
        synSentNanos = clock.nanoTime();
    }

    /** RFC 7323 §2.2: a SYN-ACK carries window scale only if the SYN did. */
    private boolean sndWindowScaleOffered() {
        return config.windowScaling() && peerOfferedWindowScale;
    }

    /**
     * A pure ACK carries SND.MAX, not SND.NXT: after a timeout SND.NXT falls back to SND.UNA, and
     * an ACK numbered below the peer's RCV.NXT would be unacceptable to it (RFC 9293 §3.10.7.4),
     * its acknowledgment ignored — both sides could then retransmit forever.
     */
    private void sendAck() {
        SegmentEncoder.sendControl(route, header(sndMax, ACK, dataOptions()));
        noteAckSent();
    }

    private void noteAckSent() {
        ackNow = false;
        bytesSinceAck = 0;
        lastAckSent = rcvNxt;
        delayedAckTimer.cancel();
    }

    private SegmentEncoder.Header header(int seq, int flags, TcpOptions options) {
        return new SegmentEncoder.Header(localPort, remotePort, seq, rcvNxt, flags, advertiseWindow(), options);
    }

    /**
     * Payload bytes that fit in the next segment: the MSS less the SACK blocks it will carry
     * (the MSS already allows for timestamps), so that no segment outgrows the path MTU.
     */
    private int payloadCapacity() {
        TcpOptions options = dataOptions();
        int sackBytes = options == null ? 0 : options.encodedLength() - (timestampsEnabled ? TIMESTAMPS_OPTION_LENGTH : 0);
        return sndMss - sackBytes;
    }

    /** Timestamps and SACK blocks for a non-SYN segment, or null. */
    private TcpOptions dataOptions() {
        int[] blocks = new int[0];
        if (sackEnabled && !outOfOrder.isEmpty()) {
            // RFC 2018 §3: at most 3 blocks fit beside timestamps, 4 without.
            blocks = outOfOrder.sackBlocks(timestampsEnabled ? 3 : 4, mostRecentOutOfOrderSeq);
        }
        if (!timestampsEnabled && blocks.length == 0) {
            return null;
        }
        return new TcpOptions(-1, -1, false, timestampsEnabled, timestampsEnabled ? tsNow() : 0, tsRecent, blocks);
    }

    /**
     * The window to put in the next segment, from free receive-buffer space, with receiver SWS
     * avoidance (RFC 9293 §3.8.6.2.2): the right edge moves on only by at least
     * min(buffer/2, MSS), and never moves back (RFC 9293 §3.8.6).
     */
    private int advertiseWindow() {
        int free;
        int bufferSize;
        synchronized (lock) {
            bufferSize = receiveBufferSize;
            free = Math.max(0, receiveBufferSize - receiveBuffer.size());
        }
        int maxWindow = MAX_UNSCALED_WINDOW << rcvWindowScale;
        free = Math.min(free, maxWindow);
        int current = Math.max(0, rcvAdvertisedEdge - rcvNxt);
        int window = current;
        if (free - current >= Math.min(bufferSize / 2, maxSegmentGuess())) {
            window = free;
        }
        int field = Math.min(MAX_UNSCALED_WINDOW, (window + (1 << rcvWindowScale) - 1) >>> rcvWindowScale);
        rcvAdvertisedEdge = SeqNum.max(rcvAdvertisedEdge, rcvNxt + (field << rcvWindowScale));
        return field;
    }

    private boolean windowWouldGrowEnough() {
        int free;
        int bufferSize;
        synchronized (lock) {
            bufferSize = receiveBufferSize;
            free = Math.max(0, receiveBufferSize - receiveBuffer.size());
        }
        int current = Math.max(0, rcvAdvertisedEdge - rcvNxt);
        return free - current >= Math.min(bufferSize / 2, maxSegmentGuess());
    }

    private void updateTsRecent(int tsVal) {
        tsRecent = tsVal;
        tsRecentSetNanos = clock.nanoTime();
    }

    /** TSval: milliseconds from a per-connection offset (RFC 7323 §5.4). */
    private int tsNow() {
        return (int) (clock.nanoTime() / 1_000_000L) + tsOffset;
    }

    // =====================================================================================
    // Processor: timers
    // =====================================================================================

    /** RFC 6298 §5.4–5.7, and the handshake's SYN and SYN-ACK retries. */
    private void onRetransmitTimeout() {
        switch (state) {
            case SYN_SENT -> {
                if (handshakeRetransmits >= config.synRetries()) {
                    terminate(softError != null ? softError : new ConnectException("Connection timed out"), false);
                    return;
                }
                handshakeRetransmits++;
                rtt.backoff();
                retransmitHandshake();
                sendSyn();
                retransmitTimer.arm(backedOff(config.initialRto().toNanos(), handshakeRetransmits));
            }
            case SYN_RECEIVED -> {
                if (handshakeRetransmits >= config.synAckRetries()) {
                    terminate(passiveOpen ? null : new ConnectException("Connection timed out"), false);
                    return;
                }
                handshakeRetransmits++;
                retransmitHandshake();
                sendSynAck();
                retransmitTimer.arm(backedOff(config.initialRto().toNanos(), handshakeRetransmits));
            }
            default -> onDataRetransmitTimeout();
        }
    }

    private void retransmitHandshake() {
        retransmittedSegments++;
        stats.increment(TcpStats.Counter.RETRANSMITTED_SEGMENTS);
        stats.increment(TcpStats.Counter.TIMEOUTS);
    }

    private long backedOff(long base, int times) {
        return Math.min(base << Math.min(times, 30), config.maxRto().toNanos());
    }

    /** The RTO, cut short so that the timer fires when the user timeout (RFC 5482) runs out, as Linux does. */
    private long retransmitDelay() {
        long rto = rtt.rtoNanos();
        long user = userTimeoutNanos;
        if (user <= 0 || !state.isSynchronized()) {
            return rto;
        }
        long left = lastProgressNanos + user - clock.nanoTime();
        return Math.max(0, Math.min(rto, left));
    }

    private void onDataRetransmitTimeout() {
        if (sndUna == sndMax || !state.isSynchronized()) {
            return;
        }
        long user = userTimeoutNanos;
        boolean userTimeoutExpired = user > 0 && clock.nanoTime() - lastProgressNanos >= user;
        if (consecutiveTimeouts >= config.dataRetries() || userTimeoutExpired) {
            terminate(softError != null ? softError : new SocketException("Connection timed out"), false);
            return;
        }
        consecutiveTimeouts++;
        stats.increment(TcpStats.Counter.TIMEOUTS);
        congestion.onRetransmitTimeout(sndMax - sndUna); // RFC 5681 §3.1 eq. 4
        rtt.backoff(); // RFC 6298 §5.5
        inRecovery = false;
        dupAcks = 0;
        afterTimeout = true;
        timeoutRecoveryPoint = sndMax;
        // The SACK information survives one timeout, so go-back-N skips what the peer holds; a
        // second timeout in a row drops it, in case the receiver reneged (RFC 2018 §8, RFC 6675 §5.1).
        if (consecutiveTimeouts > 1) {
            scoreboard.clear();
        }
        rttTiming = false;
        sndNxt = sndUna; // go back N: resend from the first unacknowledged byte (RFC 6298 §5.4)
        highRxt = sndUna;
        retransmitTimer.cancel();
        output();
        retransmitTimer.armIfIdle(retransmitDelay());
    }

    private void onDelayedAckTimeout() {
        if (state != TcpState.CLOSED) {
            sendAck();
        }
    }

    /**
     * Zero-window probe. Like Linux, the probe is a segment one below SND.UNA without data: the
     * peer must answer it with an ACK carrying its current window (RFC 9293 §3.8.6.1 allows any
     * probe that elicits that ACK).
     */
    private void onPersistTimeout() {
        int available = dataEnd() - sndNxt;
        if (!state.isSynchronized() || available <= 0 || sndNxt != sndUna) {
            return;
        }
        if (sndWnd > 0) {
            // RFC 9293 §3.8.6.2.1 (4), the override timeout: send what the small window allows.
            transmit(sndNxt, Math.min(Math.min(available, sndWnd), payloadCapacity()), false);
            return;
        }
        SegmentEncoder.sendControl(route, header(sndUna - 1, ACK, dataOptions()));
        noteAckSent();
        stats.increment(TcpStats.Counter.ZERO_WINDOW_PROBES);
        persistBackoff++;
        persistTimer.arm(persistInterval());
    }

    private void armKeepalive() {
        if (keepAlive && state.isSynchronized() && state != TcpState.TIME_WAIT) {
            keepaliveTimer.arm(keepaliveIdleNanos);
        } else if (keepaliveTimer != null) {
            keepaliveTimer.cancel();
        }
    }

    /** RFC 1122 §4.2.3.6: after the idle time, probe <SEQ=SND.MAX-1> until the peer answers or count probes fail. */
    private void onKeepaliveTimeout() {
        if (!keepAlive || !state.isSynchronized() || state == TcpState.TIME_WAIT) {
            return;
        }
        long idle = clock.nanoTime() - lastReceiveNanos;
        if (idle < keepaliveIdleNanos) {
            keepaliveProbesSent = 0; // the peer spoke since: wait out the rest of the idle time
            keepaliveTimer.arm(keepaliveIdleNanos - idle);
            return;
        }
        if (keepaliveProbesSent >= keepaliveCount) {
            stats.increment(TcpStats.Counter.KEEPALIVE_TIMEOUTS);
            terminate(new SocketException("Connection timed out"), false);
            return;
        }
        keepaliveProbesSent++;
        SegmentEncoder.sendControl(route, header(sndMax - 1, ACK, dataOptions()));
        noteAckSent();
        keepaliveTimer.arm(keepaliveIntervalNanos);
    }

    // =====================================================================================
    // Processor: the end
    // =====================================================================================

    /** Every state change goes through here: it keeps the RFC 4022 gauges and counters and traces the change. */
    private void enterState(TcpState next) {
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

    /** Enters CLOSED: optionally sends RST, stops timers, frees the 4-tuple and port, records the error. */
    private void terminate(IOException error, boolean sendReset) {
        if (state == TcpState.CLOSED) {
            return;
        }
        TcpState previous = state;
        if (sendReset && previous != TcpState.LISTEN && previous != TcpState.SYN_SENT) {
            SegmentEncoder.sendControl(route, header(sndMax, RST | ACK, null));
            stats.increment(TcpStats.Counter.RESETS_SENT);
        }
        enterState(TcpState.CLOSED);
        if (retransmitTimer != null) {
            retransmitTimer.cancel();
            delayedAckTimer.cancel();
            persistTimer.cancel();
            keepaliveTimer.cancel();
            closingTimer.cancel();
        }
        if (registeredId != null) {
            host.demuxer().unregister(TcpProtocol.PROTOCOL_NUMBER, registeredId, this);
            registeredId = null;
            protocol.untrack(this);
        }
        if (!passiveOpen) {
            releasePort();
        }
        TcpEndpoint parent = listener;
        if (parent != null && previous == TcpState.SYN_RECEIVED) {
            listener = null;
            parent.childGone();
        }
        synchronized (lock) {
            if (error != null) {
                pendingError = error;
            }
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
            host.ports().release(TcpProtocol.PROTOCOL_NUMBER, reserved, localPort);
        }
    }

    private boolean isTupleFree(IpAddress local, int port, IpAddress remote, int rport) {
        TransportEndpoint ep = host.demuxer().find(TcpProtocol.PROTOCOL_NUMBER, local, port, remote, rport);
        return !(ep instanceof TcpEndpoint t && remote.equals(t.remoteAddress) && t.remotePort == rport);
    }
}
