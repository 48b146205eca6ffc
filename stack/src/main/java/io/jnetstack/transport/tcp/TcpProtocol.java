package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.ConnectionSnapshot;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.TransportEndpoint;
import io.jnetstack.stack.TransportError;
import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.time.TokenBucket;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * TCP as the network layer sees it: validates arriving segments, hands each to its endpoint's
 * processor, answers segments for which there is no endpoint with RST, and routes ICMP errors.
 * Holds the stack-wide {@link TcpConfig}, {@link TcpStats}, ISN generator and SYN cookies.
 */
public final class TcpProtocol implements TransportProtocol {
    /** Per-segment tracing at TRACE level, off unless the logging configuration turns it on. */
    private static final System.Logger LOG = System.getLogger(TcpProtocol.class.getName());
    /** IP protocol number of TCP (RFC 790). */
    public static final int PROTOCOL_NUMBER = Ipv4Header.PROTOCOL_TCP;
    /** RFC 5961 §7's limit on challenge ACKs; Linux's tcp_challenge_ack_limit is 1000 a second. */
    static final int CHALLENGE_ACKS_PER_SECOND = 1000;
    /**
     * RSTs answering segments that no connection takes, a second, stack-wide (FreeBSD's icmplim
     * covers such RSTs, 200 a second): a flood of stray segments from random sources cannot make
     * the stack resolve and answer each one while real clients wait.
     */
    static final int RESETS_PER_SECOND = 200;

    private final TcpConfig config;
    private final TcpStats stats = new TcpStats();
    private final TcpMemory memory;
    /**
     * Send-buffer chunks acknowledged on routes that release slices on write, for any connection
     * to refill: at most 1 MiB kept, however many connections there are, and charged to
     * {@link #memory}.
     */
    private final ArrayPool sendChunks = new ArrayPool(SendBuffer.CHUNK_SIZE, MAX_SPARE_SEND_CHUNKS);
    private TcpHost host;
    private IsnGenerator isnGenerator;
    private SynCookies synCookies;
    private TokenBucket challengeAcks;
    private TokenBucket resets;
    /** Per link reader thread: the connections its current batch handed segments to. */
    private final ThreadLocal<List<TcpEndpoint>> batchConnections = ThreadLocal.withInitial(ArrayList::new);
    /** Per receiving thread: the segment each arriving one is parsed into (see {@link #handlePacket}). */
    private final ThreadLocal<ThreadSegment> threadSegments = ThreadLocal.withInitial(ThreadSegment::new);
    /** Copies of segments that wait on busy connections' backlogs, reused. */
    private final QueuedSegment.Pool queuedSegments = new QueuedSegment.Pool();
    /** See {@link #stackClosed()}. */
    private volatile IOException stackClosed;

    static final int MAX_SPARE_SEND_CHUNKS = 64;
    /** How long {@link #connections()} waits, in all, for the processors' snapshots. */
    static final long SNAPSHOT_WAIT_NANOS = 2_000_000_000L;

    QueuedSegment.Pool queuedSegments() {
        return queuedSegments;
    }

    /** The pool of reusable send-buffer chunks (see {@link SendBuffer#reuseChunks}). */
    ArrayPool sendChunks() {
        return sendChunks;
    }

    public TcpProtocol() {
        this(TcpConfig.defaults());
    }

    public TcpProtocol(TcpConfig config) {
        this.config = Objects.requireNonNull(config);
        this.memory = new TcpMemory(config.memoryLimit());
        sendChunks.chargeTo(memory.spareArrays());
    }

    @Override
    public int number() {
        return PROTOCOL_NUMBER;
    }

    @Override
    public void attach(Stack stack) {
        attach(TcpHost.of(stack));
        stack.chargeSpareArraysTo(memory.spareArrays()); // the loopback's frame arrays, which TCP segments fill
    }

    /** Attaches to a host other than a full {@link Stack} (tests); called once, before any packet. */
    public void attach(TcpHost host) {
        if (this.host != null) {
            throw new IllegalStateException("TCP is already attached to a stack");
        }
        this.host = host;
        SecureRandom random = new SecureRandom();
        byte[] isnSecret = new byte[16];
        byte[] cookieSecret = new byte[16];
        random.nextBytes(isnSecret);
        random.nextBytes(cookieSecret);
        this.isnGenerator = new IsnGenerator(host.clock(), isnSecret);
        this.synCookies = new SynCookies(host.clock(), cookieSecret);
        this.challengeAcks = new TokenBucket(host.clock(), CHALLENGE_ACKS_PER_SECOND, CHALLENGE_ACKS_PER_SECOND);
        this.resets = new TokenBucket(host.clock(), RESETS_PER_SECOND, RESETS_PER_SECOND);
    }

    /** True if one more RFC 5961 challenge ACK may go now. */
    boolean challengeAckAllowed() {
        return challengeAcks.tryAcquire();
    }

    /**
     * Calls {@code action} with every endpoint that has a connection or listens: those the
     * demuxer holds, so no second stack-wide table is kept (nor written on every set-up and
     * teardown). None before TCP is attached.
     */
    private void forEachEndpoint(Consumer<TcpEndpoint> action) {
        if (host == null) {
            return;
        }
        host.demuxer().forEach(PROTOCOL_NUMBER, ep -> {
            if (ep instanceof TcpEndpoint tcp) {
                action.accept(tcp);
            }
        });
    }

    @Override
    public void nicFailed(int nicId, IOException cause) {
        forEachEndpoint(ep -> ep.failIfRoutedThrough(nicId, cause));
    }

    /**
     * Aborts every connection and listener: the stack is shutting down. A connection's application
     * reads what had arrived, then gets an error ({@link #STACK_CLOSED_MESSAGE}), not an end of
     * stream: its peer never ended the stream, and the data may be cut short.
     */
    @Override
    public void close() {
        IOException reason = new IOException(STACK_CLOSED_MESSAGE);
        stackClosed = reason;
        forEachEndpoint(ep -> ep.abort(reason));
    }

    /**
     * Set once the stack closes. Every connection that ends from then on reports it, whatever ended
     * it first: with both ends in this stack, one end's abort RST may reach the other before its own
     * abort runs, and "reset by peer" would hide that the stack went away.
     */
    IOException stackClosed() {
        return stackClosed;
    }

    /**
     * Every listener and connection, each snapshot taken on its own processor (see
     * {@link TcpEndpoint#snapshot()}). A processor that does not answer within
     * {@link #SNAPSHOT_WAIT_NANOS} (one stuck on a task) leaves its connections out rather than
     * have them read while it changes them.
     */
    @Override
    public List<ConnectionSnapshot> connections() {
        List<CompletableFuture<TcpConnectionSnapshot>> pending = new ArrayList<>();
        forEachEndpoint(ep -> pending.add(ep.snapshot()));
        long deadline = System.nanoTime() + SNAPSHOT_WAIT_NANOS;
        List<ConnectionSnapshot> result = new ArrayList<>();
        for (CompletableFuture<TcpConnectionSnapshot> f : pending) {
            try {
                TcpConnectionSnapshot s = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s != null) {
                    result.add(s);
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, "a connection's snapshot is left out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return result;
    }

    /** A new, unbound endpoint. */
    public TcpEndpoint newEndpoint() {
        return new TcpEndpoint(this);
    }

    public TcpConfig config() {
        return config;
    }

    public TcpStats stats() {
        return stats;
    }

    /** The heap all connections' buffers and queues hold, against {@link TcpConfig#memoryLimit()}. */
    public TcpMemory memory() {
        return memory;
    }

    /** The counters, and TCP memory's use and limit as {@code memoryBytes} and {@code memoryLimitBytes}. */
    @Override
    public Map<String, Long> statistics() {
        Map<String, Long> values = new LinkedHashMap<>(stats.toMap());
        values.put("memoryBytes", memory.used());
        values.put("memoryLimitBytes", memory.limit());
        return Collections.unmodifiableMap(values);
    }

    TcpHost host() {
        if (host == null) {
            throw new IllegalStateException("TCP is not attached to a stack");
        }
        return host;
    }

    IsnGenerator isnGenerator() {
        return isnGenerator;
    }

    SynCookies synCookies() {
        return synCookies;
    }

    /**
     * A link ended a batch of frames. Each connection the batch handed segments to hears of it
     * through its own backlog, behind those segments, so a held ACK goes once they are all in
     * (and no connection is entered by a thread that is not inside it).
     */
    @Override
    public void linkBatchEnded() {
        List<TcpEndpoint> touched = batchConnections.get();
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).linkBatchEnded();
        }
        touched.clear();
    }

    /** On the link's reader thread: a segment of the current batch goes to {@code connection}. */
    private void noteBatchConnection(TcpEndpoint connection) {
        List<TcpEndpoint> touched = batchConnections.get();
        for (int i = 0; i < touched.size(); i++) {
            if (touched.get(i) == connection) {
                return;
            }
        }
        touched.add(connection);
    }

    /**
     * Always takes the packet: TCP answers a segment without an endpoint itself, with RST. The
     * segment is parsed into the thread's own {@link TcpSegment}, which only this delivery uses.
     */
    @Override
    public boolean handlePacket(PacketInfo info, PacketBuffer packet) {
        ThreadSegment mine = threadSegments.get();
        // A delivery nested in another on this thread (a link that delivers a reply at once) parses
        // into a segment of its own: the outer one still reads the thread's.
        boolean nested = mine.inDelivery;
        TcpSegment seg = nested ? new TcpSegment() : mine.segment;
        if (!seg.parseFrom(info, packet, stats)) {
            return true;
        }
        mine.inDelivery = true;
        try {
            deliver(seg);
        } finally {
            mine.inDelivery = nested;
            seg.clearPacket();
        }
        return true;
    }

    /** A thread's segment that it parses each arriving segment into, and whether a delivery is using it. */
    private static final class ThreadSegment {
        final TcpSegment segment = new TcpSegment();
        boolean inDelivery;
    }

    /** Hands a validated segment to its endpoint, or answers it as a segment to a closed port. */
    void deliver(TcpSegment seg) {
        stats.increment(TcpStats.Counter.SEGMENTS_RECEIVED);
        if (LOG.isLoggable(System.Logger.Level.TRACE)) {
            LOG.log(System.Logger.Level.TRACE, "in  {0}", seg);
        }
        TransportEndpoint ep = host().demuxer().find(PROTOCOL_NUMBER, seg.destination, seg.destinationPort,
                seg.source, seg.sourcePort);
        if (ep instanceof TcpEndpoint tcp) {
            if (seg.packet.isBatchEndFollowing()) {
                noteBatchConnection(tcp);
            }
            tcp.deliver(seg);
        } else {
            replyToClosedPort(seg);
        }
    }

    /**
     * RFC 9293 §3.10.7.1 (CLOSED): an incoming RST is discarded; otherwise answer with a RST that
     * the sender will accept: {@code <SEQ=SEG.ACK><CTL=RST>} if the segment had ACK, else
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}.
     */
    void replyToClosedPort(TcpSegment seg) {
        if (seg.has(TcpHeader.RST)) {
            return;
        }
        if (seg.has(TcpHeader.ACK)) {
            sendReset(seg, seg.ack, 0, TcpHeader.RST);
        } else {
            sendReset(seg, 0, seg.seq + seg.sequenceLength(), TcpHeader.RST | TcpHeader.ACK);
        }
    }

    /** Sends a RST answering {@code seg}, back along the path it came, unless the rate limit is spent. */
    void sendReset(TcpSegment seg, int seq, int ack, int flags) {
        if (seg.source.isMulticastOrBroadcast() || seg.destination.isMulticastOrBroadcast()) {
            return; // RFC 1122 §4.2.3.10: never answer a broadcast or multicast segment
        }
        if (!resets.tryAcquire()) {
            stats.increment(TcpStats.Counter.RESETS_RATE_LIMITED);
            return;
        }
        Route route;
        try {
            route = host().findRoute(seg.nicId, seg.destination, seg.source);
        } catch (NoRouteToHostException e) {
            return;
        }
        SegmentEncoder.sendControl(route,
                SegmentEncoder.threadHeader(seg.destinationPort, seg.sourcePort).set(seq, ack, flags, 0));
        stats.increment(TcpStats.Counter.RESETS_SENT);
        TcpEvents.resetSent(seg);
    }

    @Override
    public void handleError(TransportError error, IpAddress quotedSource, IpAddress quotedDestination,
                            PacketBuffer quoted) {
        TcpHeader h = TcpHeader.ofQuoted(quoted);
        if (h == null) {
            return;
        }
        TransportEndpoint ep = host().demuxer().find(PROTOCOL_NUMBER, quotedSource, h.sourcePort(),
                quotedDestination, h.destinationPort());
        if (ep instanceof TcpEndpoint tcp) {
            tcp.deliverIcmpError(error, h.sequenceNumber());
        }
    }

    /** Flow hash of a 4-tuple: picks the processor that owns the connection. */
    static int flowHash(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        int h = local.hashCode() * 31 + localPort;
        h = h * 31 + (remote == null ? 0 : remote.hashCode());
        return h * 31 + remotePort;
    }
}
