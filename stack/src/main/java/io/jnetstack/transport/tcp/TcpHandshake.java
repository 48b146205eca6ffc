package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;

import io.jnetstack.header.ParsedTcpOptions;
import io.jnetstack.stack.Route;
import io.jnetstack.time.Clock;
import java.net.ConnectException;

/**
 * Connection establishment (RFC 9293 §3.5), like netstack's connect.go: the SYN and SYN-ACK and
 * their retries, SYN-SENT's checks (RFC 9293 §3.10.7.3) with simultaneous open, the ACK that
 * completes SYN-RECEIVED, the connection a SYN cookie proves, and the negotiation of MSS, window
 * scale, SACK and timestamps (RFC 7323, RFC 2018) that the sender and receiver then use.
 *
 * <p>Threads. Created by whoever sets the connection up, before the processor owns it; from
 * then on, the connection's processor only.
 */
final class TcpHandshake {
    private final TcpEndpoint endpoint;
    /** What this connection offers, and what it settles on once the peer's SYN or SYN-ACK is in. */
    private final NegotiatedOptions options;
    private final TcpProtocol protocol;
    private final TcpConfig config;
    private final TcpStats stats;
    private final Clock clock;
    private final Route route;
    private final TcpSender sender;
    private final TcpReceiver receiver;

    final int iss;
    /** When the last SYN or SYN-ACK went: an unretransmitted one gives an RTT sample. */
    private long synSentNanos;
    /** False for a SYN cookie's connection, whose SYN-ACK this endpoint did not send. */
    private boolean synAckTimed = true;
    /** Made by a SYN cookie's ACK, and no SYN-ACK retransmission timer bounds its handshake yet. */
    private boolean cookieWithoutTimer;
    private int retransmits;
    /** RFC 7323 §2.2: a SYN-ACK carries window scale only if the SYN did. */
    private boolean peerOfferedWindowScale;

    TcpHandshake(TcpEndpoint endpoint, NegotiatedOptions options, TcpProtocol protocol, Clock clock, Route route,
            TcpSender sender, TcpReceiver receiver, int iss) {
        this.endpoint = endpoint;
        this.options = options;
        this.protocol = protocol;
        this.config = protocol.config();
        this.stats = protocol.stats();
        this.clock = clock;
        this.route = route;
        this.sender = sender;
        this.receiver = receiver;
        this.iss = iss;
    }

    void startActiveOpen() {
        stats.increment(TcpStats.Counter.ACTIVE_OPENS);
        synSentNanos = clock.nanoTime();
        sendSyn();
        sender.armRetransmitTimer(config.initialRto().toNanos());
    }

    /**
     * RFC 9293 §3.10.7.2: a SYN to LISTEN puts the child in SYN-RECEIVED. Runs before the child is
     * registered, so whatever the demultiplexer hands it next finds it ready; {@link #sendFirstSynAck}
     * then answers on the child's processor.
     */
    void receiveSyn(TcpSegment syn) {
        receiver.irs = syn.seq;
        receiver.rcvNxt = syn.seq + 1;
        negotiateFromSyn(syn.options);
        sender.setInitialWindow(syn.window, syn.seq, iss); // never scaled in a SYN (RFC 7323 §2.2)
        endpoint.enterState(TcpState.SYN_RECEIVED);
    }

    void sendFirstSynAck() {
        sendSynAck();
        sender.armRetransmitTimer(config.initialRto().toNanos());
    }

    /**
     * A SYN cookie proved the handshake (RFC 4987 §3.6): the child is in SYN-RECEIVED as though it
     * had sent the SYN-ACK that carried the cookie as its ISN, with what the cookie kept of the
     * SYN's options ({@code options} null if it kept none). The cookie's ACK, or any segment
     * overtaking it, then completes the handshake the ordinary way (see {@link #onSynReceivedAck}).
     * Runs before the child is registered, like {@link #receiveSyn}.
     */
    void receiveCookieAck(TcpSegment ack, int mss, SynCookieOptions kept) {
        receiver.irs = ack.seq - 1;
        receiver.rcvNxt = ack.seq;
        options.timestampsEnabled = kept != null;
        boolean scaling = kept != null && kept.peerWindowScale() >= 0 && config.windowScaling();
        options.sendWindowScale = scaling ? kept.peerWindowScale() : 0;
        if (!scaling) {
            options.receiveWindowScale = 0;
        }
        options.sackEnabled = kept != null && kept.sackPermitted() && config.sack();
        if (options.timestampsEnabled) {
            options.updateTsRecent(ack.options.tsVal());
        }
        sender.sndMss = Math.min(mss, options.advertisedMss) - options.timestampsLength();
        receiver.openUnscaledWindow();
        endpoint.noteAckSent(); // the cookie's SYN-ACK acknowledged the SYN
        synAckTimed = false; // nothing of ours timed the cookie's SYN-ACK: no RTT sample
        cookieWithoutTimer = true;
        endpoint.enterState(TcpState.SYN_RECEIVED);
    }

    /** Takes the peer's SYN options and decides what this connection uses (RFC 7323, RFC 2018). */
    private void negotiateFromSyn(ParsedTcpOptions o) {
        int peerMss = o.mss() > 0 ? o.mss() : TcpEndpoint.DEFAULT_PEER_MSS;
        peerOfferedWindowScale = o.windowScale() >= 0;
        boolean scaling = config.windowScaling() && peerOfferedWindowScale;
        options.sendWindowScale = scaling ? Math.max(o.windowScale(), 0) : 0;
        if (!scaling) {
            options.receiveWindowScale = 0;
        }
        options.sackEnabled = config.sack() && o.sackPermitted();
        options.timestampsEnabled = config.timestamps() && o.hasTimestamps();
        if (options.timestampsEnabled) {
            options.updateTsRecent(o.tsVal());
        }
        // The MSS counts the timestamps option out of every segment once it is negotiated.
        sender.sndMss = Math.min(peerMss, options.advertisedMss) - options.timestampsLength();
    }

    private void establish() {
        retransmits = 0;
        endpoint.establish();
    }

    /** RFC 9293 §3.10.7.3: a segment in SYN-SENT. */
    void onSynSentSegment(TcpSegment seg) {
        boolean ackAcceptable = seg.has(ACK) && SeqNum.gt(seg.ack, iss) && SeqNum.leq(seg.ack, sender.sndMax);
        if (seg.has(ACK) && !ackAcceptable) {
            if (!seg.has(RST)) {
                protocol.sendReset(seg, seg.ack, 0, RST);
            }
            return;
        }
        if (seg.has(RST)) {
            if (ackAcceptable) {
                stats.increment(TcpStats.Counter.RESETS_RECEIVED);
                TcpEvents.resetReceived(endpoint);
                endpoint.terminate(new ConnectException("Connection refused"), false);
            }
            return;
        }
        if (!seg.has(SYN)) {
            return;
        }
        receiver.irs = seg.seq;
        receiver.rcvNxt = seg.seq + 1;
        negotiateFromSyn(seg.options);
        sender.setInitialWindow(seg.window, seg.seq, seg.ack);
        receiver.openUnscaledWindow();
        if (ackAcceptable) {
            sampleRtt(); // Karn: only an unambiguous SYN gives a sample
            sender.sndUna = seg.ack;
            establish();
            endpoint.sendAck();
            endpoint.output();
        } else {
            // Simultaneous open (RFC 9293 §3.5, figure 8): answer SYN-ACK with our original ISN.
            endpoint.enterState(TcpState.SYN_RECEIVED);
            sendSynAck();
            sender.armRetransmitTimer(sender.rtt.rtoNanos());
        }
    }

    /** In SYN-RECEIVED: a SYN again means the peer did not hear our SYN-ACK. True if it was one. */
    boolean onRepeatedSyn(TcpSegment seg) {
        if (seg.has(SYN) && !seg.has(ACK) && seg.seq == receiver.irs) {
            sendSynAck();
            return true;
        }
        return false;
    }

    /**
     * In SYN-RECEIVED, an acceptable segment with ACK: establishes the connection if it
     * acknowledges our SYN, else answers RST and returns false (RFC 9293 §3.10.7.4).
     */
    boolean onSynReceivedAck(TcpSegment seg) {
        if (!(SeqNum.gt(seg.ack, sender.sndUna) && SeqNum.leq(seg.ack, sender.sndMax))) {
            protocol.sendReset(seg, seg.ack, 0, RST);
            return false;
        }
        if (!endpoint.admittedByListener()) {
            // The accept queue is full: the segment is ignored (see TcpListener.admit) and the
            // child waits in SYN-RECEIVED for the client's retransmissions, its SYN-ACK timer
            // bounding the wait. A cookie's child waits too, rather than going: the client's
            // segments behind this one no longer carry a cookie the listener could check, and
            // would be answered with resets. It had no timer yet; it gets one.
            if (cookieWithoutTimer) {
                cookieWithoutTimer = false;
                sender.armRetransmitTimer(config.initialRto().toNanos());
            }
            return false;
        }
        sampleRtt();
        sender.sndUna = iss + 1;
        sender.setInitialWindow(seg.window << options.sendWindowScale, seg.seq, seg.ack);
        establish();
        return true;
    }

    private void sampleRtt() {
        if (retransmits == 0 && synAckTimed) {
            sender.rtt.sample(clock.nanoTime() - synSentNanos);
        }
    }

    /** The retransmission timer ran out before the handshake completed: SYN or SYN-ACK again, or give up. */
    void onTimeout() {
        if (endpoint.state() == TcpState.SYN_SENT) {
            if (retransmits >= config.synRetries()) {
                endpoint.terminateTimedOut(new ConnectException("Connection timed out"));
                return;
            }
            retransmits++;
            sender.rtt.backoff();
            sender.countHandshakeRetransmit();
            sendSyn();
        } else {
            if (retransmits >= config.synAckRetries()) {
                endpoint.terminate(endpoint.isPassiveOpen() ? null : new ConnectException("Connection timed out"), false);
                return;
            }
            retransmits++;
            sender.countHandshakeRetransmit();
            sendSynAck();
        }
        long rto = backedOff(config.initialRto().toNanos(), retransmits);
        sender.armRetransmitTimer(rto);
        TcpEvents.retransmissionTimeout(endpoint, rto, retransmits, 0);
    }

    private long backedOff(long base, int times) {
        return Math.min(base << Math.min(times, 30), config.maxRto().toNanos());
    }

    private void sendSyn() {
        SegmentEncoder.Header syn = endpoint.outgoingHeader()
                .set(iss, 0, SYN, Math.min(endpoint.receiveBufferSize(), TcpEndpoint.MAX_UNSCALED_WINDOW))
                .synOptions(options.advertisedMss, config.windowScaling() ? options.receiveWindowScale : -1, config.sack());
        if (config.timestamps()) {
            syn.timestamps(options.tsNow(), 0);
        }
        SegmentEncoder.sendControl(route, syn);
    }

    private void sendSynAck() {
        int window = receiver.openUnscaledWindow();
        SegmentEncoder.Header synAck = endpoint.outgoingHeader()
                .set(iss, receiver.rcvNxt, SYN | ACK, window)
                .synOptions(options.advertisedMss,
                        config.windowScaling() && peerOfferedWindowScale ? options.receiveWindowScale : -1,
                        options.sackEnabled);
        if (options.timestampsEnabled) {
            synAck.timestamps(options.tsNow(), options.tsRecent());
        }
        SegmentEncoder.sendControl(route, synAck);
        endpoint.noteAckSent();
        synSentNanos = clock.nanoTime();
        synAckTimed = true;
    }
}
