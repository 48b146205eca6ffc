package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.FIN;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.TcpOptions;
import io.jnetstack.time.Clock;
import io.jnetstack.waiter.Events;
import java.util.concurrent.Executor;

/**
 * The receiving half of a connection, like netstack's rcv.go: which sequence numbers are
 * acceptable, reassembly of out-of-order data, the window we advertise (with receiver SWS
 * avoidance and buffer auto-tuning), when an ACK is due (delayed ACKs), and the SACK blocks that
 * describe what we hold beyond RCV.NXT.
 *
 * <p>Threads. Everything here belongs to the connection's processor. In-order data goes into
 * the {@link ReceiveBuffer}, which the application drains: the receiver touches it, its capacity
 * and its counters only under its lock.
 */
final class TcpReceiver {
    /** The most a receiver offers under TCP memory pressure, in full segments. */
    static final int PRESSURE_WINDOW_SEGMENTS = 4;
    private final TcpEndpoint endpoint;
    private final NegotiatedOptions options;
    private final ReceiveBuffer receiveBuffer;
    private final TcpConfig config;
    private final TcpStats stats;
    private final Clock clock;
    private final TcpMemory memory;
    /** Made at the first segment that arrives out of order: most connections never need one. */
    private ReassemblyQueue outOfOrder;
    private final Executor processor;
    /** Made when first armed: an idle connection holds no timer. */
    private ProcessorTimer delayedAckTimer;
    /** Appends a range of in-order payload to the receive buffer; made once rather than per segment. */
    private PacketBuffer.RangeVisitor appendToReceiveBuffer;

    /** The peer's initial sequence number (IRS), from its SYN. */
    int irs;
    int rcvNxt;
    /** RCV.NXT + RCV.WND as last advertised; the right edge never moves left (RFC 9293 §3.8.6). */
    int rcvAdvertisedEdge;
    /** RCV.NXT as carried by the last segment we sent (RFC 7323's Last.ACK.sent). */
    int lastAckSent;
    private boolean ackNow;
    /** Two full segments arrived in a batch the link has not ended yet: the ACK goes at its end. */
    private boolean ackAtBatchEnd;
    private int bytesSinceAck;
    /** In-order data bytes we received (tcpi_bytes_received). */
    private long bytesReceived;
    private boolean outOfOrderFin;
    private int outOfOrderFinSeq;
    private int mostRecentOutOfOrderSeq;
    /** An urgent pointer announced a byte not yet received: its sequence number is {@link #urgentSeq}. */
    private boolean urgentAwaited;
    private int urgentSeq;

    TcpReceiver(TcpEndpoint endpoint, NegotiatedOptions options, ReceiveBuffer receiveBuffer, TcpConfig config,
            TcpStats stats, TcpMemory memory, Clock clock, Executor processor) {
        this.endpoint = endpoint;
        this.options = options;
        this.receiveBuffer = receiveBuffer;
        this.config = config;
        this.stats = stats;
        this.memory = memory;
        this.clock = clock;
        this.processor = processor;
    }

    /**
     * Sets the first window from the handshake: a SYN's window is never scaled (RFC 7323 §2.2),
     * so it covers at most what the unscaled field can say.
     */
    int openUnscaledWindow() {
        int capacity;
        synchronized (receiveBuffer.lock) {
            capacity = receiveBuffer.capacity();
        }
        int window = Math.min(capacity, TcpEndpoint.MAX_UNSCALED_WINDOW);
        rcvAdvertisedEdge = rcvNxt + window;
        return window;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    /** RCV.WND as last advertised. */
    int window() {
        return rcvAdvertisedEdge - rcvNxt;
    }

    /** RFC 9293 §3.10.7.4, first check: does any part of the segment fall in the receive window? */
    boolean isAcceptable(TcpSegment seg) {
        int window = currentWindow();
        int len = seg.sequenceLength();
        if (len == 0) {
            return window == 0 ? seg.seq == rcvNxt : SeqNum.inWindow(seg.seq, rcvNxt, window);
        }
        if (window == 0) {
            return false;
        }
        return SeqNum.inWindow(seg.seq, rcvNxt, window) || SeqNum.inWindow(seg.seq + len - 1, rcvNxt, window);
    }

    /** RFC 9293 §3.10.7.4, seventh and eighth checks: segment text and FIN. */
    void onText(TcpSegment seg) {
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
        if (len > 0 && endpoint.state().receivesData()) {
            if (endpoint.closedByApplicationLocked()) {
                // RFC 1122 §4.2.2.13 / RFC 2525 §2.17: nobody will read this; tell the peer its data is lost.
                endpoint.terminate(null, true);
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

    /**
     * RFC 9293 §3.10.7.4, sixth check: the urgent pointer points just past the urgent byte (RFC
     * 6093 §4, as Linux reads it without tcp_stdurg). Like Linux's tcp_check_urg, a pointer to a
     * byte already received, or not beyond the one awaited, changes nothing; the byte is marked
     * for the reader when it arrives in order.
     */
    void onUrgentPointer(TcpSegment seg) {
        if (!endpoint.state().receivesData()) {
            return; // after the peer's FIN: "This should not occur ... Ignore the URG."
        }
        int urgentByte = seg.seq + Math.max(seg.urgentPointer - 1, 0);
        if (SeqNum.lt(urgentByte, rcvNxt) || (urgentAwaited && SeqNum.leq(urgentByte, urgentSeq))) {
            return;
        }
        urgentAwaited = true;
        urgentSeq = urgentByte;
    }

    /** Marks the awaited urgent byte if it is among {@code len} bytes from {@code seq}, about to join the receive buffer. Under its lock. */
    private void markUrgentByteLocked(int seq, int len) {
        if (urgentAwaited && SeqNum.inWindow(urgentSeq, seq, len)) {
            urgentAwaited = false;
            receiveBuffer.markUrgent(urgentSeq - seq);
        }
    }

    private void receiveData(TcpSegment seg, int skip, int start, int len) {
        int from = seg.payloadOffset + skip;
        if (start != rcvNxt) {
            receiveOutOfOrder(seg.packet, from, start, len);
            ackNow = true; // RFC 5681 §4.2: out-of-order data is acknowledged at once
            return;
        }
        synchronized (receiveBuffer.lock) {
            if (!receiveBuffer.isShutdown() && !mayHold(seg.packet)) {
                // Dropped like a lost segment: the peer sends it again once the application reads.
                stats.increment(TcpStats.Counter.RECEIVE_MEMORY_DROPS);
                ackNow = true;
                return;
            }
            if (!receiveBuffer.isShutdown()) {
                markUrgentByteLocked(start, len);
                PacketBuffer p = seg.packet;
                // A payload wholly in a pooled front array: the receive buffer takes the array over.
                ArrayPool pool = from + len <= p.frontLength() ? p.takePooledFront() : null;
                if (pool != null) {
                    receiveBuffer.append(p.array(), p.offset() + from, len, pool);
                } else {
                    if (appendToReceiveBuffer == null) {
                        appendToReceiveBuffer = receiveBuffer::append; // at the first data, once
                    }
                    p.forEachRange(from, len, appendToReceiveBuffer);
                }
            }
        }
        rcvNxt += len;
        bytesReceived += len;
        bytesSinceAck += len;
        if (holdsOutOfOrderData()) {
            int drained;
            synchronized (receiveBuffer.lock) {
                boolean discard = receiveBuffer.isShutdown();
                int[] seq = {rcvNxt};
                drained = outOfOrder.drainInto(rcvNxt, (a, off, n) -> {
                    if (!discard) {
                        markUrgentByteLocked(seq[0], n);
                        receiveBuffer.append(a, off, n); // the queue lets go of its arrays
                    }
                    seq[0] += n;
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
        // RFC 9293 §3.8.6.3 / RFC 5681 §4.2: ACK at least every second full-sized segment. Segments
        // the link read in one batch are acknowledged together once it ends (as Linux's GRO makes
        // one of them), so a batch of in-order segments costs one ACK.
        boolean twoSegmentsUnacknowledged = bytesSinceAck >= 2 * maxSegmentGuess();
        if (twoSegmentsUnacknowledged && !seg.packet.isBatchEndFollowing()) {
            ackNow = true;
        } else {
            if (twoSegmentsUnacknowledged) {
                ackAtBatchEnd = true; // the reader tells this connection when its batch ends
            }
            if (delayedAckTimer == null) {
                delayedAckTimer = new ProcessorTimer(clock, processor, this::onDelayedAckTimeout);
            }
            delayedAckTimer.armIfIdle(config.delayedAckTimeout().toNanos());
        }
        endpoint.waiterQueue().notify(Events.IN);
    }

    /**
     * Holds data beyond RCV.NXT until the hole before it fills. When TCP memory is at its queue
     * threshold, this connection's out-of-order data is pruned (Linux's tcp_prune_ofo_queue; a
     * receiver may renege on SACKed data, RFC 2018 §8) and the segment dropped.
     */
    private void receiveOutOfOrder(PacketBuffer packet, int from, int start, int len) {
        stats.increment(TcpStats.Counter.OUT_OF_ORDER_SEGMENTS);
        if (outOfOrder == null) {
            outOfOrder = new ReassemblyQueue(config.maxOutOfOrderBytes(), memory);
        }
        ReassemblyQueue.Admission[] admission = {ReassemblyQueue.Admission.STORED};
        int[] seq = {start};
        packet.forEachRange(from, len, (a, off, n) -> {
            if (admission[0] == ReassemblyQueue.Admission.STORED) {
                admission[0] = outOfOrder.add(seq[0], a, off, n);
                seq[0] += n;
            }
        });
        if (admission[0] == ReassemblyQueue.Admission.STORED) {
            mostRecentOutOfOrderSeq = start;
            return;
        }
        stats.increment(TcpStats.Counter.OUT_OF_ORDER_DROPS);
        if (admission[0] == ReassemblyQueue.Admission.OVER_STACK_THRESHOLD && !outOfOrder.isEmpty()) {
            outOfOrder.clear();
            stats.increment(TcpStats.Counter.OUT_OF_ORDER_PRUNES);
        }
    }

    /**
     * Whether the receive buffer may take {@code packet}'s payload: while TCP memory has room for
     * all the packet pins (an upper bound of what holding its payload costs), or the buffer holds
     * nothing, so that every connection can take one segment (Linux's tcp_rmem[0]) as long as
     * that stays within the {@linkplain TcpMemory#floorCeiling() floor ceiling}.
     */
    private boolean mayHold(PacketBuffer packet) {
        long ceiling = receiveBuffer.size() == 0 ? memory.floorCeiling() : memory.limit();
        return memory.used() + packet.trueSize() <= ceiling;
    }

    /** Drops the out-of-order data and gives its memory back: the connection ended. */
    void discardOutOfOrder() {
        if (outOfOrder != null) {
            outOfOrder.clear();
        }
    }

    private boolean holdsOutOfOrderData() {
        return outOfOrder != null && !outOfOrder.isEmpty();
    }

    /** RFC 9293 §3.10.7.4, eighth check: the FIN takes a sequence number; the endpoint changes state. */
    private void onFin() {
        rcvNxt += 1;
        ackNow = true;
        endpoint.onPeerFin();
    }

    /** Lets the receive buffer auto-tune once per round trip (see {@link ReceiveBuffer#autoTune}). */
    private void autoTuneReceiveBuffer() {
        long now = clock.nanoTime();
        if (!receiveBuffer.autoTuningDue(now, endpoint.smoothedRttNanos())) {
            return;
        }
        synchronized (receiveBuffer.lock) {
            receiveBuffer.autoTune(now);
        }
    }

    /** The size of a full segment from the peer: what we allowed it, less its timestamps. */
    private int maxSegmentGuess() {
        int mss = options.advertisedMss > 0 ? options.advertisedMss : TcpEndpoint.DEFAULT_PEER_MSS;
        return mss - options.timestampsLength();
    }

    /**
     * The window to put in the next segment, from free receive-buffer space, with receiver SWS
     * avoidance (RFC 9293 §3.8.6.2.2): the right edge moves on only by at least
     * min(buffer/2, MSS), and never moves back (RFC 9293 §3.8.6).
     */
    int advertiseWindow() {
        int scale = options.receiveWindowScale;
        int window = windowToOffer(TcpEndpoint.MAX_UNSCALED_WINDOW << scale);
        int field = Math.min(TcpEndpoint.MAX_UNSCALED_WINDOW, (window + (1 << scale) - 1) >>> scale);
        rcvAdvertisedEdge = SeqNum.max(rcvAdvertisedEdge, rcvNxt + (field << scale));
        return field;
    }

    /** After the application read: would a window update now be worth a segment? */
    boolean windowWouldGrowEnough() {
        return windowToOffer(Integer.MAX_VALUE) > currentWindow();
    }

    /**
     * The free buffer space (at most {@code limit}) if offering it moves the right edge on by at
     * least min(buffer/2, MSS), else the window as last advertised.
     */
    private int windowToOffer(int limit) {
        int free;
        int bufferSize;
        synchronized (receiveBuffer.lock) {
            bufferSize = receiveBuffer.capacity();
            free = Math.max(0, bufferSize - receiveBuffer.size());
        }
        free = Math.min(free, limit);
        if (memory.underPressure()) {
            // As Linux clamps its window under tcp_mem pressure: offer little more than the peer has in flight.
            free = Math.min(free, PRESSURE_WINDOW_SEGMENTS * maxSegmentGuess());
        }
        int current = currentWindow();
        return free - current >= Math.min(bufferSize / 2, maxSegmentGuess()) ? free : current;
    }

    private int currentWindow() {
        return Math.max(0, rcvAdvertisedEdge - rcvNxt);
    }

    /** RFC 2018: blocks for what the reassembly queue holds, the most recent first; empty if none. */
    int[] sackBlocks(int maxBlocks) {
        return !holdsOutOfOrderData() ? TcpOptions.NO_BLOCKS : outOfOrder.sackBlocks(maxBlocks, mostRecentOutOfOrderSeq);
    }

    /** Whether an ACK must go out now rather than wait for the delayed-ACK timer. */
    boolean ackDue() {
        return ackNow;
    }

    /** The link's batch ended: an ACK held for it is due now, unless a segment sent since carried it. */
    void onBatchEnd() {
        if (ackAtBatchEnd) {
            ackAtBatchEnd = false;
            ackNow = true;
        }
    }

    /** Every segment we send acknowledges RCV.NXT, so any of them settles the ACK that was due. */
    void onAckSent() {
        ackNow = false;
        ackAtBatchEnd = false;
        bytesSinceAck = 0;
        lastAckSent = rcvNxt;
        ProcessorTimer.cancelIfMade(delayedAckTimer);
    }

    private void onDelayedAckTimeout() {
        if (endpoint.state() != TcpState.CLOSED) {
            endpoint.sendAck();
        }
    }

    void stopTimers() {
        ProcessorTimer.cancelIfMade(delayedAckTimer);
    }
}
