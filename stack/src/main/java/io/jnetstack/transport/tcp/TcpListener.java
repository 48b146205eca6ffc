package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;

import io.jnetstack.header.ParsedTcpOptions;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.TransportEndpoint;
import io.jnetstack.waiter.Events;
import java.net.NoRouteToHostException;
import java.util.ArrayDeque;

/**
 * The listening side of a {@link TcpEndpoint} in state LISTEN (RFC 9293 §3.10.7.2), like
 * netstack's accept.go: it answers SYNs with new child endpoints while the SYN queue has room, with
 * SYN cookies (RFC 4987 §3.6) once it is full, and queues children whose handshake completed
 * until the application accepts them.
 *
 * <p>Threads. {@link #onSegment} runs on the listener's processor. {@link #childEstablished} and
 * {@link #childGone} run on a child's processor, {@link #accept} and {@link #hasConnectionWaiting}
 * on application threads; so the accept queue, the backlog, the count of half-open children and
 * the closed flag are guarded by the listening endpoint's lock, the one that guards its buffers.
 * Listener and child are two connections: the thread inside the listener may enter a new child
 * (to send its SYN-ACK) or leave a segment on a busy child's backlog, but never waits for one, and
 * nothing here enters a child while holding the lock.
 */
final class TcpListener {
    private final TcpEndpoint owner;
    private final TcpProtocol protocol;
    private final TcpConfig config;
    private final TcpHost host;
    private final TcpStats stats;
    private final Object lock;

    // ---- guarded by lock ----
    private final ArrayDeque<TcpEndpoint> acceptQueue = new ArrayDeque<>();
    private int backlog;
    /** Children in SYN-RECEIVED (and cookie children not yet established): the SYN queue. */
    private int halfOpenChildren;
    /** Children between {@link #admit} and {@link #childEstablished}. */
    private int admittedChildren;
    private boolean closed;

    TcpListener(TcpEndpoint owner, TcpProtocol protocol, Object lock, int backlog) {
        this.owner = owner;
        this.protocol = protocol;
        this.config = protocol.config();
        this.host = protocol.host();
        this.stats = protocol.stats();
        this.lock = lock;
        setBacklog(backlog);
    }

    /** listen() on a listening socket only changes the backlog. */
    void setBacklog(int backlog) {
        synchronized (lock) {
            this.backlog = Math.max(1, backlog);
        }
    }

    /** A connection that completed its handshake, or null if none is waiting. Application thread. */
    TcpEndpoint accept() {
        synchronized (lock) {
            TcpEndpoint child = acceptQueue.poll();
            if (child != null) {
                child.detachFromListener();
                TcpEvents.accepted(child);
            }
            return child;
        }
    }

    /** Connections awaiting accept (ss's Recv-Q of a listener). Under {@link #lock}. */
    int acceptQueueLengthLocked() {
        return acceptQueue.size();
    }

    /** ss's Send-Q of a listener. Under {@link #lock}. */
    int backlogLocked() {
        return backlog;
    }

    boolean hasConnectionWaiting() {
        synchronized (lock) {
            return !acceptQueue.isEmpty();
        }
    }

    /** RFC 9293 §3.10.7.2: a segment to LISTEN. Listener's processor. */
    void onSegment(TcpSegment seg) {
        if (forwardedToChild(seg)) {
            return;
        }
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
        if (refusedForLackOfMemory()) {
            return; // the client retries its SYN later
        }
        Route childRoute;
        try {
            childRoute = host.findRoute(seg.nicId, seg.destination, seg.source);
        } catch (NoRouteToHostException e) {
            return;
        }
        boolean useCookie;
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (acceptQueueFullLocked()) {
                countOverflow();
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
        int iss = protocol.isnGenerator().isn(seg.destination, seg.destinationPort, seg.source, seg.sourcePort);
        TcpEndpoint child = TcpEndpoint.openPassive(this, owner, seg, childRoute, iss, h -> h.receiveSyn(seg));
        if (child == null) {
            childGone();
            return;
        }
        child.runOnProcessor(child::sendFirstSynAck);
    }

    /**
     * The demultiplexer runs on the receiving thread, ahead of this processor: segments that
     * followed a SYN or a cookie's ACK closely were handed to the listener before that segment
     * made the child. They are the child's now; answering them here would reset the connection
     * the child just made.
     */
    private boolean forwardedToChild(TcpSegment seg) {
        TransportEndpoint ep = host.demuxer().find(TcpProtocol.PROTOCOL_NUMBER, seg.destination,
                seg.destinationPort, seg.source, seg.sourcePort);
        if (ep instanceof TcpEndpoint child && child != owner) {
            child.deliver(seg);
            return true;
        }
        return false;
    }

    /**
     * RFC 4987 §3.6: with the SYN queue full, answer with a SYN-ACK whose ISN encodes the
     * connection and the peer's MSS, and keep no state. Window scaling and SACK ride in the TSval
     * ({@link SynCookieOptions}); a peer without timestamps gets neither.
     */
    private void sendSynCookie(TcpSegment syn, Route r) {
        int peerMss = syn.options.mss() > 0 ? syn.options.mss() : TcpEndpoint.DEFAULT_PEER_MSS;
        int cookie = protocol.synCookies().encode(syn.destination, syn.destinationPort, syn.source, syn.sourcePort,
                syn.seq, Math.min(peerMss, r.maxTransportPacket() - TcpHeader.MIN_LENGTH));
        int ourMss = r.maxTransportPacket() - TcpHeader.MIN_LENGTH;
        SegmentEncoder.Header synAck = SegmentEncoder.threadHeader(syn.destinationPort, syn.sourcePort).set(cookie,
                syn.seq + 1, SYN | ACK, Math.min(owner.receiveBufferSize(), TcpEndpoint.MAX_UNSCALED_WINDOW))
                .synOptions(ourMss, -1, false);
        ParsedTcpOptions o = syn.options;
        if (config.timestamps() && o.hasTimestamps()) {
            // The cookie's connection will use the cookie as ISN and so as its TSval offset (see tsNow).
            int now = (int) (host.clock().nanoTime() / 1_000_000L) + cookie;
            boolean scaling = config.windowScaling() && o.windowScale() >= 0;
            boolean sack = config.sack() && o.sackPermitted();
            int tsVal = new SynCookieOptions(scaling ? o.windowScale() : -1, sack).encodeInto(now);
            synAck.synOptions(ourMss, scaling ? TcpEndpoint.windowScaleFor(owner.largestReceiveBuffer()) : -1, sack)
                    .timestamps(tsVal, o.tsVal());
        }
        SegmentEncoder.sendControl(r, synAck);
        stats.increment(TcpStats.Counter.SYN_COOKIES_SENT);
    }

    /** An ACK that may complete a SYN-cookie handshake; false if it carries no valid cookie. */
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
        // A cookie's ACK is where its connection takes memory, as a SYN is for the others: with TCP
        // memory exhausted it is dropped like a SYN, quietly, and the client's retransmission (of
        // its data, or of this ACK) tries again with the same cookie.
        if (refusedForLackOfMemory()) {
            return true;
        }
        synchronized (lock) {
            if (closed || acceptQueueFullLocked()) {
                countOverflow();
                return true; // dropped; the client's data retransmission tries again
            }
            halfOpenChildren++; // balanced by childEstablished, or childGone if the child dies first
        }
        stats.increment(TcpStats.Counter.SYN_COOKIES_VALIDATED);
        SynCookieOptions options = config.timestamps() && ack.options.hasTimestamps()
                ? SynCookieOptions.decode(ack.options.tsEcr()) : null;
        TcpEndpoint child = TcpEndpoint.openPassive(this, owner, ack, childRoute, ack.ack - 1,
                h -> h.receiveCookieAck(ack, mss, options));
        if (child == null) {
            childGone();
            return true;
        }
        child.deliver(ack); // completes the handshake, as would any segment that overtook it
        return true;
    }

    /**
     * No new connection once TCP memory is {@linkplain TcpMemory#exhausted() exhausted}, when it
     * could not have even a floor; counted. Under pressure, and past the limit while floors are
     * left, connections are still made, as Linux does: pressure shrinks what each connection gets,
     * so that peers holding memory at that level cannot lock new clients out.
     */
    private boolean refusedForLackOfMemory() {
        if (!protocol.memory().exhausted()) {
            return false;
        }
        stats.increment(TcpStats.Counter.MEMORY_LIMIT_REFUSALS);
        stats.increment(TcpStats.Counter.LISTEN_DROPS);
        return true;
    }

    /** A connection the full accept queue had no place for, dropped: Linux's ListenOverflows and ListenDrops. */
    private void countOverflow() {
        stats.increment(TcpStats.Counter.LISTEN_OVERFLOWS);
        stats.increment(TcpStats.Counter.LISTEN_DROPS);
    }

    /** Queued children and those admitted to join them take up the backlog. Under {@link #lock}. */
    private boolean acceptQueueFullLocked() {
        return acceptQueue.size() + admittedChildren >= backlog;
    }

    /**
     * A child in SYN-RECEIVED asks, before an ACK completes its handshake, for a place in the
     * accept queue; it is held for the child until {@link #childEstablished}. False (counted) when
     * the queue is full: as Linux with {@code tcp_abort_on_overflow=0}, the ACK is then ignored
     * rather than answered with a reset, so the client's retransmissions complete the handshake
     * once the application has accepted. A closed listener admits, and resets, every child.
     */
    boolean admit() {
        synchronized (lock) {
            if (!closed && acceptQueueFullLocked()) {
                countOverflow();
                return false;
            }
            admittedChildren++;
            return true;
        }
    }

    /** Called by a child (on its processor) when its handshake completes, after {@link #admit}. */
    void childEstablished(TcpEndpoint child) {
        boolean queued;
        synchronized (lock) {
            halfOpenChildren--;
            admittedChildren--;
            queued = !closed && acceptQueue.size() < backlog;
            if (queued) {
                acceptQueue.add(child);
            }
        }
        if (queued) {
            owner.waiterQueue().notify(Events.IN);
        } else {
            stats.increment(TcpStats.Counter.LISTEN_OVERFLOWS);
            child.detachFromListener();
            child.terminate(null, true);
        }
    }

    /** A half-open child died before its handshake completed, or could not be registered at all. */
    void childGone() {
        synchronized (lock) {
            halfOpenChildren--;
        }
    }

    /** Stops taking connections and aborts those the application has not accepted. Listener's processor. */
    void close() {
        ArrayDeque<TcpEndpoint> pending;
        synchronized (lock) {
            closed = true;
            pending = new ArrayDeque<>(acceptQueue);
            acceptQueue.clear();
        }
        for (TcpEndpoint child : pending) {
            child.abort();
        }
    }
}
