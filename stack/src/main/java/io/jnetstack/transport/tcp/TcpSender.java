package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.header.TcpHeader.URG;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.ParsedTcpOptions;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.Route;
import io.jnetstack.time.Clock;
import io.jnetstack.waiter.Events;
import java.net.SocketException;
import java.util.concurrent.Executor;

/**
 * The sending half of a connection, like netstack's snd.go: segmentation of the send buffer
 * under the peer's window and the congestion window, Nagle and sender SWS avoidance, processing
 * of ACKs (RTT samples, the send window, RFC 5961's ACK checks), loss recovery (RFC 6675 SACK
 * recovery, else NewReno), retransmission timeouts with RFC 5482's user timeout, and zero-window
 * probes.
 *
 * <p>Threads. Everything here belongs to the connection's processor. The bytes to send are in
 * the {@link SendBuffer}, which the application fills: the sender touches it only under its lock.
 */
final class TcpSender {
    private final TcpEndpoint endpoint;
    private final NegotiatedOptions options;
    private final SendBuffer sendBuffer;
    private final TcpConfig config;
    private final TcpStats stats;
    private final Clock clock;
    private final Route route;
    final RttEstimator rtt;
    /** {@link SackScoreboard#NONE} until the first SACK block: most connections never get one. */
    private SackScoreboard scoreboard = SackScoreboard.NONE;
    private final Executor processor;
    /**
     * RFC 6298's timer; before ESTABLISHED it times the SYN or SYN-ACK (see {@link TcpEndpoint#onHandshakeTimeout}).
     * Made when first armed and dropped when the handshake completes, as {@link #persistTimer} is
     * made when first armed: an idle connection holds no timer.
     */
    private ProcessorTimer retransmitTimer;
    private ProcessorTimer persistTimer;

    int sndUna;
    int sndNxt;
    /** Highest sequence number sent + 1; SND.NXT falls back below it after a timeout (go-back-N). */
    int sndMax;
    int sndWnd;
    private int maxSndWnd;
    private int sndWl1;
    private int sndWl2;
    int sndMss;
    /** Sequence number of the first byte in the send buffer. */
    private int sendBufferSeq;
    /** Sequence number of the application's first byte: stream offsets become sequence numbers from it. */
    private final int firstDataSeq;
    /** The application shut output down: a FIN follows the last byte of the send buffer. */
    private boolean finQueued;
    private boolean finSent;
    /** The handshake completed: data may go. */
    private boolean established;
    /**
     * Made at the first event that changes it (see {@link #congestion()}); until then the window
     * is the initial one, so an idle connection holds no congestion state.
     */
    private CongestionControl congestion;

    private boolean rttTiming;
    private int rttSeq;
    private long rttStartNanos;
    int consecutiveTimeouts;
    long retransmittedSegments;
    long segmentsSent;
    /** Data bytes the peer acknowledged (tcpi_bytes_acked). */
    long bytesAcked;
    private long lastProgressNanos;
    private int dupAcks;
    boolean inRecovery;
    private int recoveryPoint;
    private int highRxt;
    /** HighData at the last timeout: no fast recovery starts until it is acknowledged (RFC 6675 §5.1). */
    private int timeoutRecoveryPoint;
    private boolean afterTimeout;
    private int persistBackoff;

    TcpSender(TcpEndpoint endpoint, NegotiatedOptions options, SendBuffer sendBuffer, TcpConfig config, TcpStats stats,
            Clock clock, Executor processor, Route route, int iss, long nowNanos) {
        this.endpoint = endpoint;
        this.options = options;
        this.sendBuffer = sendBuffer;
        this.config = config;
        this.stats = stats;
        this.clock = clock;
        this.route = route;
        this.processor = processor;
        this.rtt = new RttEstimator(config.minRto().toNanos(), config.maxRto().toNanos());
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sendBufferSeq = iss + 1;
        firstDataSeq = sendBufferSeq;
        lastProgressNanos = nowNanos;
    }

    // ---- handshake ----

    /** The send window from the handshake segment that synchronized us (seq and ack are its numbers). */
    void setInitialWindow(int window, int seq, int ack) {
        sndWnd = window;
        maxSndWnd = sndWnd;
        sndWl1 = seq;
        sndWl2 = ack;
    }

    /** (Re)starts the retransmission timer; the handshake times its SYN and SYN-ACK with it. */
    void armRetransmitTimer(long delayNanos) {
        retransmitTimer().arm(delayNanos);
    }

    private ProcessorTimer retransmitTimer() {
        if (retransmitTimer == null) {
            retransmitTimer = new ProcessorTimer(clock, processor, this::onRetransmitTimeout);
        }
        return retransmitTimer;
    }

    private ProcessorTimer persistTimer() {
        if (persistTimer == null) {
            persistTimer = new ProcessorTimer(clock, processor, this::onPersistTimeout);
        }
        return persistTimer;
    }

    /** A SYN or SYN-ACK went again after a timeout. */
    void countHandshakeRetransmit() {
        retransmittedSegments++;
        stats.increment(TcpStats.Counter.RETRANSMITTED_SEGMENTS);
        stats.increment(TcpStats.Counter.TIMEOUTS);
    }

    void onEstablished() {
        established = true;
        // The handshake's timer goes with it: the first data segment makes one again.
        ProcessorTimer.cancelIfMade(retransmitTimer);
        retransmitTimer = null;
        consecutiveTimeouts = 0;
    }

    // ---- acknowledgments ----

    /**
     * RFC 9293 §3.10.7.4 fifth check, with RFC 5961 §5.2's acceptable range. Returns false if the
     * segment is to be dropped.
     */
    boolean onAck(TcpSegment seg) {
        int ack = seg.ack;
        if (SeqNum.gt(ack, sndMax)) {
            endpoint.answerInvalidSegment(seg); // acknowledges something not yet sent
            return false;
        }
        if (SeqNum.lt(ack, sndUna - maxSndWnd)) {
            endpoint.sendChallengeAck(); // RFC 5961 §5.2: too old to be real
            return false;
        }
        int scaledWindow = seg.window << options.sendWindowScale;
        if (options.sackEnabled) {
            ParsedTcpOptions o = seg.options;
            for (int i = 0; i < o.sackBlockCount(); i++) {
                if (scoreboard == SackScoreboard.NONE) {
                    scoreboard = new SackScoreboard();
                }
                scoreboard.add(o.sackLeft(i), o.sackRight(i), SeqNum.max(ack, sndUna), sndMax);
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
                ProcessorTimer.cancelIfMade(persistTimer);
                persistBackoff = 0;
            }
        }
        return true;
    }

    private void onNewAck(TcpSegment seg, int ack) {
        int acked = ack - sndUna;
        int flightBefore = sndMax - sndUna;
        boolean finAcked = finSent && ack == finSeq() + 1;
        int dataAcked = acked - (finAcked ? 1 : 0);
        int dropped;
        synchronized (sendBuffer.lock) {
            dropped = sendBuffer.acknowledge(dataAcked);
        }
        sendBufferSeq += dropped;
        bytesAcked += dropped;
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
        route.confirmReachable();
        if (inRecovery) {
            if (SeqNum.geq(ack, recoveryPoint)) {
                inRecovery = false; // RFC 6582 §3.2 step 3 / RFC 6675 §5: full acknowledgment
                congestion().onExitRecovery();
            } else if (!options.sackEnabled) {
                retransmitFirstUnacknowledged(); // RFC 6582 §3.2 step 3: a partial ACK reveals the next hole
            }
        } else {
            congestion().onAck(acked, flightBefore, sample);
        }
        dupAcks = 0;
        if (sndUna == sndMax) {
            ProcessorTimer.cancelIfMade(retransmitTimer);
        } else {
            retransmitTimer().arm(retransmitDelay()); // RFC 6298 §5.3
        }
        endpoint.waiterQueue().notify(Events.OUT);
    }

    /** An RTT sample for an ACK of new data, or -1: from the echoed timestamp, else the one timed segment (Karn). */
    private long rttSample(TcpSegment seg, int ack) {
        if (options.timestampsEnabled && seg.options.hasTimestamps() && seg.options.tsEcr() != 0) {
            long ms = options.tsNow() - seg.options.tsEcr();
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
        boolean lost = dupAcks >= SackScoreboard.DUP_THRESH
                || (options.sackEnabled && scoreboard.isLost(sndUna, sndMss));
        if (!lost) {
            return;
        }
        inRecovery = true;
        recoveryPoint = sndMax;
        highRxt = sndUna;
        congestion().onEnterRecovery(sndMax - sndUna);
        stats.increment(TcpStats.Counter.FAST_RETRANSMITS);
        if (options.sackEnabled) {
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

    /** Queues our FIN after the data; false if it was queued already. */
    boolean queueFin() {
        if (finQueued) {
            return false;
        }
        finQueued = true;
        return true;
    }

    boolean isFinQueued() {
        return finQueued;
    }

    boolean isFinAcknowledged() {
        return finSent && sndUna == finSeq() + 1;
    }

    /**
     * RFC 1191 §3: the path takes only segments of {@code mss} payload; what was sent since SND.UNA
     * goes again. False (nothing changes) unless {@code mss} is smaller and sane.
     */
    /** Our initial sequence number (ISS). */
    int iss() {
        return firstDataSeq - 1;
    }

    /** The congestion state, made now if nothing has changed it yet: it starts from the initial window at the current MSS. */
    private CongestionControl congestion() {
        if (congestion == null) {
            congestion = CongestionControl.create(config.congestionControl(), sndMss, clock);
        }
        return congestion;
    }

    /** The congestion window: the initial one (RFC 6928) until an event changed it; 0 before the handshake completes. */
    int cwnd() {
        CongestionControl cc = congestion;
        return cc != null ? cc.cwnd() : established ? CongestionControl.initialWindow(sndMss) : 0;
    }

    /** The slow-start threshold: unbounded until the first congestion event; 0 before the handshake completes. */
    int ssthresh() {
        CongestionControl cc = congestion;
        return cc != null ? cc.ssthresh() : established ? Integer.MAX_VALUE : 0;
    }

    /** The congestion control's name, or empty before the handshake completes. */
    String congestionControlName() {
        CongestionControl cc = congestion;
        return cc != null ? cc.name() : established ? CongestionControl.canonicalName(config.congestionControl()) : "";
    }

    boolean reduceMss(int mss) {
        if (mss < 68 || mss >= sndMss) {
            return false;
        }
        sndMss = mss;
        if (congestion != null) {
            congestion.setMss(mss);
        }
        sndNxt = sndUna; // resend what was too big
        return true;
    }

    /** Does an ICMP error quoting {@code quotedSeq} concern data in flight (RFC 5927 §4.1)? */
    boolean isInFlight(int quotedSeq) {
        return SeqNum.geq(quotedSeq, sndUna) && SeqNum.lt(quotedSeq, sndMax);
    }

    // ---- output ----

    private int dataEnd() {
        synchronized (sendBuffer.lock) {
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
        if (options.sackEnabled) {
            return scoreboard.pipe(sndUna, sndMax, highRxt, sndMss);
        }
        // NewReno (RFC 6582 §3.2): every duplicate ACK says a segment has left the network.
        return Math.max(0, (sndMax - sndUna) - dupAcks * sndMss);
    }

    /** Sends what the windows, Nagle and SWS avoidance allow, once the handshake has completed. */
    void sendAllowed() {
        if (!established) {
            return;
        }
        while (sendOneSegment()) {
            // keep going while something was sent
        }
        updatePersistTimer();
    }

    /** Sends the next segment (retransmission of a lost hole first); false if nothing may go now. */
    private boolean sendOneSegment() {
        // RFC 3042 (limited transmit): the first two duplicate ACKs each let one new segment go.
        int limitedTransmit = inRecovery ? 0 : Math.min(dupAcks, 2) * sndMss;
        int cwndRoom = cwnd() + limitedTransmit - pipe();
        int end = dataEnd();
        if (!inRecovery && SeqNum.lt(sndNxt, sndMax)) {
            sndNxt = scoreboard.skipSacked(sndNxt); // going back N, but not over what the peer has SACKed
        }
        int available = end - sndNxt; // -1 once our FIN is sent
        int windowRoom = sndUna + sndWnd - sndNxt;
        if (inRecovery && options.sackEnabled && cwndRoom >= sndMss) {
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
        int len = Math.max(0, Math.min(Math.min(available, packetCapacity(capacity)), Math.min(windowRoom, cwndRoom)));
        if (SeqNum.lt(sndNxt, sndMax)) {
            len = scoreboard.unsackedRun(sndNxt, len);
        }
        len = fullSegmentsUnlessTailMayGo(len, available, capacity);
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
        boolean urgent;
        synchronized (sendBuffer.lock) {
            urgent = sendBuffer.urgentPending(); // as Linux's tcp_nagle_test: urgent data does not wait for Nagle
        }
        return pushable && (endpoint.noDelay() || idle || urgent);
    }

    /** SND.UP: the sequence number just past the last urgent byte, from its stream offset. */
    private int sndUp(long urgentEnd) {
        return firstDataSeq + (int) urgentEnd;
    }

    /**
     * Where the link segments (TSO), one packet carries as many whole segments as fit in its
     * largest packet, as Linux sizes its GSO packets; else one segment.
     */
    private int packetCapacity(int segmentCapacity) {
        int max = route.maxSegmentedTransportPacket();
        boolean urgent;
        synchronized (sendBuffer.lock) {
            urgent = sendBuffer.urgentPending();
        }
        // In urgent mode each segment says where the urgent data ends relative to its own sequence
        // number, which one header copied across a segmented packet could not.
        if (max == 0 || urgent) {
            return segmentCapacity;
        }
        int headerLength = TcpHeader.MIN_LENGTH + endpoint.dataOptionsLength();
        return Math.max(1, (max - headerLength) / segmentCapacity) * segmentCapacity;
    }

    /**
     * A packet of several segments sends each but the last full; the last, shorter one stays
     * unless Nagle and SWS avoidance would send it on its own after the others, with them in
     * flight (see {@link #mayTransmit}), so offload changes nothing on the wire.
     */
    private int fullSegmentsUnlessTailMayGo(int len, int available, int segmentCapacity) {
        int tail = len % segmentCapacity;
        if (len <= segmentCapacity || tail == 0) {
            return len;
        }
        boolean pushable = len == available || tail >= maxSndWnd / 2;
        return pushable && endpoint.noDelay() ? len : len - tail;
    }

    /**
     * Sends [seq, seq+len) of the send buffer (and FIN) with the current ACK and window; more than
     * a segment's worth goes as one packet the link cuts into segments.
     */
    private void transmit(int seq, int len, boolean fin) {
        int flags = ACK | (fin ? FIN : 0);
        int urgentPointer = 0;
        PacketBuffer packet;
        SegmentEncoder.Header h;
        synchronized (sendBuffer.lock) {
            boolean lastQueued = seq + len == sendBufferSeq + sendBuffer.size();
            if (len > 0 && lastQueued) {
                flags |= PSH;
            }
            long urgentEnd = sendBuffer.urgentEnd();
            if (urgentEnd >= 0 && SeqNum.lt(seq, sndUp(urgentEnd))) {
                // RFC 9293 §3.8.5: every segment before SND.UP says where the urgent data ends,
                // relative to its own sequence number; beyond the field's range, 0xFFFF (as Linux).
                flags |= URG;
                urgentPointer = Math.min(sndUp(urgentEnd) - seq, 0xFFFF);
            }
            h = endpoint.dataHeader(seq, flags);
            packet = SegmentEncoder.newDataPacket(route, h, sendBuffer, seq - sendBufferSeq, len);
        }
        int segmentCapacity = payloadCapacity();
        int segments = 1;
        if (len > segmentCapacity) {
            packet.requestSegmentation(segmentCapacity);
            segments = (len + segmentCapacity - 1) / segmentCapacity;
        }
        SegmentEncoder.send(route, packet, h, urgentPointer);
        endpoint.noteAckSent();
        int segEnd = seq + len + (fin ? 1 : 0);
        boolean retransmission = SeqNum.lt(seq, sndMax);
        if (retransmission) {
            retransmittedSegments += segments;
            stats.add(TcpStats.Counter.RETRANSMITTED_SEGMENTS, segments);
            if (rttTiming && SeqNum.inRange(rttSeq, seq, segEnd)) {
                rttTiming = false; // Karn's algorithm (RFC 6298 §3)
            }
        } else if (!rttTiming && !options.timestampsEnabled && len > 0) {
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
        retransmitTimer().armIfIdle(retransmitDelay());
        segmentsSent += segments;
        stats.add(TcpStats.Counter.SEGMENTS_SENT, segments);
    }

    /**
     * Payload bytes that fit in the next segment: the MSS less the SACK blocks it will carry
     * (the MSS already allows for timestamps), so that no segment outgrows the path MTU.
     */
    private int payloadCapacity() {
        return sndMss - endpoint.dataOptionsSackLength();
    }

    // ---- timers ----

    /**
     * Nothing in flight yet data waiting means the peer's window holds it back: zero, or too small
     * for SWS avoidance to use. The persist timer then probes or overrides (RFC 9293 §3.8.6.1–2).
     */
    private void updatePersistTimer() {
        boolean stalledByWindow = sndNxt == sndUna && SeqNum.lt(sndNxt, dataEnd());
        if (stalledByWindow) {
            persistTimer().armIfIdle(persistInterval());
        } else {
            ProcessorTimer.cancelIfMade(persistTimer);
        }
    }

    private long persistInterval() {
        return Math.min(rtt.rtoNanos() << Math.min(persistBackoff, 20), config.maxRto().toNanos());
    }

    /** RFC 6298 §5.4–5.7, and the handshake's SYN and SYN-ACK retries. */
    private void onRetransmitTimeout() {
        route.suspectUnreachable(); // the lost segment may have gone to a wrong or stale link address
        switch (endpoint.state()) {
            case SYN_SENT, SYN_RECEIVED -> endpoint.onHandshakeTimeout();
            default -> onDataRetransmitTimeout();
        }
    }

    /** The RTO, cut short so that the timer fires when the user timeout (RFC 5482) runs out, as Linux does. */
    private long retransmitDelay() {
        long rto = rtt.rtoNanos();
        long user = endpoint.userTimeoutNanos();
        if (user <= 0 || !endpoint.state().isSynchronized()) {
            return rto;
        }
        long left = lastProgressNanos + user - clock.nanoTime();
        return Math.max(0, Math.min(rto, left));
    }

    private void onDataRetransmitTimeout() {
        if (sndUna == sndMax || !endpoint.state().isSynchronized()) {
            return;
        }
        long user = endpoint.userTimeoutNanos();
        boolean userTimeoutExpired = user > 0 && clock.nanoTime() - lastProgressNanos >= user;
        if (consecutiveTimeouts >= config.dataRetries() || userTimeoutExpired) {
            endpoint.terminateTimedOut(new SocketException("Connection timed out"));
            return;
        }
        consecutiveTimeouts++;
        stats.increment(TcpStats.Counter.TIMEOUTS);
        congestion().onRetransmitTimeout(sndMax - sndUna); // RFC 5681 §3.1 eq. 4
        rtt.backoff(); // RFC 6298 §5.5
        TcpEvents.retransmissionTimeout(endpoint, rtt.rtoNanos(), consecutiveTimeouts, sndMax - sndUna);
        inRecovery = false;
        dupAcks = 0;
        afterTimeout = true;
        timeoutRecoveryPoint = sndMax;
        // The SACK information survives one timeout, so go-back-N skips what the peer holds; a
        // second timeout in a row drops it, in case the receiver reneged (RFC 2018 §8, RFC 6675 §5.1).
        if (consecutiveTimeouts > 1) {
            if (scoreboard != SackScoreboard.NONE) {
                scoreboard.clear();
            }
        }
        rttTiming = false;
        sndNxt = sndUna; // go back N: resend from the first unacknowledged byte (RFC 6298 §5.4)
        highRxt = sndUna;
        ProcessorTimer.cancelIfMade(retransmitTimer);
        endpoint.output();
        retransmitTimer().armIfIdle(retransmitDelay());
    }

    /**
     * Zero-window probe. Like Linux, the probe is a segment one below SND.UNA without data: the
     * peer must answer it with an ACK carrying its current window (RFC 9293 §3.8.6.1 allows any
     * probe that elicits that ACK).
     */
    private void onPersistTimeout() {
        int available = dataEnd() - sndNxt;
        if (!endpoint.state().isSynchronized() || available <= 0 || sndNxt != sndUna) {
            return;
        }
        if (sndWnd > 0) {
            // RFC 9293 §3.8.6.2.1 (4), the override timeout: send what the small window allows.
            transmit(sndNxt, Math.min(Math.min(available, sndWnd), payloadCapacity()), false);
            return;
        }
        endpoint.sendAck(sndUna - 1);
        stats.increment(TcpStats.Counter.ZERO_WINDOW_PROBES);
        persistBackoff++;
        persistTimer().arm(persistInterval());
    }

    /** TIME-WAIT and CLOSED send nothing more. */
    void stopTimers() {
        ProcessorTimer.cancelIfMade(retransmitTimer);
        ProcessorTimer.cancelIfMade(persistTimer);
    }
}
