package io.jnetstack.fault;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.FrameCounter;
import io.jnetstack.link.FrameInterceptor;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.NetworkDispatcher;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.jfr.FaultRuleHitEvent;
import io.jnetstack.time.Clock;
import io.jnetstack.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Wraps a link and injects faults into the frames crossing it, as {@link FaultRule}s say: each
 * frame, sent or received, meets every rule whose {@link PacketMatch} selects it, in order. A rule
 * may drop it (loss, blackhole), reset its TCP connection, cut its TCP payload into slices,
 * corrupt, duplicate, delay (latency, slow close of a FIN, a bandwidth limit) or reorder it. The
 * random draws of each rule come from a generator seeded by the rule's seed, so a run repeats
 * exactly for a given seed and sequence of frames. On a link that delivers to itself (a loopback)
 * frames are faulted once, when written. Delays run on the {@link Clock}, so a manual clock drives
 * them in tests. Every {@code Stack} NIC sits on one, reading the stack's {@link FaultRules}; with
 * no rule, frames pass straight through.
 *
 * <p>Per-frame faults, in this order: lost; or corrupted (a copy with the bits of one random byte
 * flipped, past the link header, so that network-layer checksums catch it); then duplicated; and
 * each resulting copy is either delayed on the {@link Clock}, or held back to be reordered, or sent.
 * A held frame is sent after {@link Faults#reorderWindow()} later frames or after
 * {@link Faults#maxReorderHold()}, whichever comes first; only one frame per rule is held at a time.
 * Closing the link discards (and counts) held and delayed frames, then closes the wrapped link.
 *
 * <p>A rule's per-frame faults may change over time: a {@link Schedule} of phases, each with its
 * own faults, runs in a cycle on the {@link Clock} from the link's creation.
 */
public final class FaultyLink extends WrappingLink {
    /** Frames a bandwidth limit queues at most before it drops, as netem's default limit of 1000 packets. */
    static final int BANDWIDTH_QUEUE_LIMIT = 1000;
    /** Connections a reset rule tracks per link; the least recently seen is forgotten first. */
    static final int TRACKED_CONNECTIONS = 4096;

    private final FaultRules rules;
    private final String nicName;
    private final long startNanos;
    private final Clock clock;
    private final Stats stats = new Stats();
    private volatile NetworkDispatcher dispatcher;

    // Fault state, guarded by lock; frames are written to the inner link outside it, so a
    // same-thread delivery that writes back through this link does not run into half-made state.
    private final Object lock = new Object();
    private final Map<FaultRule, RuleState> states = new HashMap<>();
    private final Set<DelayedFrame> delayed = new LinkedHashSet<>();
    private boolean closed;

    /**
     * Faults from {@code rules}, which may change while the link runs, on the NIC named
     * {@code nicName} (what {@code nic=} selects, and what hit events name).
     */
    public FaultyLink(LinkEndpoint inner, FaultRules rules, String nicName, Clock clock) {
        super(inner);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.nicName = Objects.requireNonNull(nicName, "nicName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startNanos = clock.nanoTime();
    }

    /** {@code faults} on every frame written; received frames pass unchanged. */
    public FaultyLink(LinkEndpoint inner, Faults faults, Clock clock) {
        this(inner, Schedule.constant(faults), clock);
    }

    /** Faults that follow {@code schedule} on every frame written; the draws are seeded by its first phase's seed. */
    public FaultyLink(LinkEndpoint inner, Schedule schedule, Clock clock) {
        this(inner, writtenFramesOnly(schedule), inner.getClass().getSimpleName(), clock);
    }

    private static FaultRules writtenFramesOnly(Schedule schedule) {
        FaultRules rules = new FaultRules();
        PacketMatch everyWrite = new PacketMatch(PacketMatch.Protocol.ANY, PacketMatch.Direction.OUT, null, null, null,
                -1, -1, -1);
        rules.add(new FaultRule("every frame written", everyWrite, FaultAction.perFrame(schedule)));
        return rules;
    }

    /** The per-frame faults the first rule applies to a frame now; {@link Faults#NONE} without rules. */
    public Faults faults() {
        List<FaultRule> now = rules.list();
        return now.isEmpty() ? Faults.NONE : faultsNow(now.get(0));
    }

    /** The rules this link applies. */
    public FaultRules rules() {
        return rules;
    }

    /** How many frames met each fault. */
    public Stats stats() {
        return stats;
    }

    /** Delayed and held frames are copies, so the wrapped link's promise about the writer's slices holds. */
    @Override
    public boolean releasesSlicesOnWrite() {
        return inner.releasesSlicesOnWrite();
    }

    @Override
    public void attach(NetworkDispatcher dispatcher) {
        this.dispatcher = dispatcher;
        inner.attach(dispatcher == null ? null : new FrameInterceptor(this::deliver, dispatcher));
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        List<FaultRule> now = rules.list();
        if (now.isEmpty()) {
            inner.writeFrame(frame);
            return;
        }
        List<Emitted> emitted = new ArrayList<>(3);
        synchronized (lock) {
            if (closed) {
                emitted.add(new Emitted(frame, true)); // the closed inner link drops and counts it
            } else {
                pass(frame, new Pass(now, 0, true), emitted);
            }
        }
        // Frames for this stack are not delivered inside its own write: they wait for the clock's thread.
        emitAll(emitted, true);
    }

    /** A frame the wrapped link received. */
    private void deliver(PacketBuffer frame) {
        NetworkDispatcher d = dispatcher;
        List<FaultRule> now = rules.list();
        if (now.isEmpty() || inner.deliversToItself()) {
            if (d != null) {
                d.deliverNetworkPacket(frame);
            }
            return;
        }
        List<Emitted> emitted = new ArrayList<>(3);
        synchronized (lock) {
            pass(frame, new Pass(now, 0, false), emitted);
        }
        emitAll(emitted, false);
    }

    /** Runs {@code frame} through the rules from {@code pass.next()}: the first that matches takes it on. */
    private void pass(PacketBuffer frame, Pass pass, List<Emitted> emitted) {
        PacketView view = null;
        for (int i = pass.next(); i < pass.rules().size(); i++) {
            FaultRule rule = pass.rules().get(i);
            if (view == null) {
                view = PacketView.of(frame, linkType());
            }
            if (matches(rule.match(), view, pass.outbound())) {
                apply(state(rule, pass.rules()), frame, view, pass.after(i), emitted);
                return;
            }
        }
        emitted.add(new Emitted(frame, pass.outbound()));
    }

    private boolean matches(PacketMatch match, PacketView view, boolean outbound) {
        if (inner.deliversToItself()) {
            // A loopback's frame is both sent and received by the stack.
            return match.matches(view, true, nicName) || match.matches(view, false, nicName);
        }
        return match.matches(view, outbound, nicName);
    }

    private RuleState state(FaultRule rule, List<FaultRule> current) {
        RuleState s = states.get(rule);
        if (s == null) {
            if (states.size() >= 2 * current.size() + 8) {
                states.keySet().retainAll(current); // forget removed rules
            }
            s = new RuleState(rule);
            states.put(rule, s);
        }
        return s;
    }

    private Faults faultsNow(FaultRule rule) {
        return rule.action().perFrame().at(clock.nanoTime() - startNanos);
    }

    private void apply(RuleState s, PacketBuffer frame, PacketView view, Pass next, List<Emitted> emitted) {
        FaultAction action = s.rule.action();
        int length = frame.length();
        if (action.blackhole()) {
            s.hit("blackhole", length, stats.blackholed);
            return;
        }
        if (action.resets() && view.isTcp()
                && s.resetsConnection(view, next.outbound(), emitted)) {
            return;
        }
        Faults faults = faultsNow(s.rule);
        if (s.chance(faults.loss())) {
            s.hit("loss", length, stats.lost);
            return;
        }
        List<PacketBuffer> frames = List.of(frame);
        boolean sliceable = view.isTcp() && !view.hasFlags(TcpHeader.SYN) && view.payloadLength() > action.sliceBytes();
        if (action.sliceBytes() > 0 && sliceable) {
            frames = TcpFrames.slice(view, action.sliceBytes());
            s.hit("slice", length, stats.sliced);
        }
        boolean fin = view.isTcp() && view.hasFlags(TcpHeader.FIN);
        for (PacketBuffer f : frames) {
            if (s.chance(faults.corruption())) {
                s.hit("corrupt", f.length(), stats.corrupted);
                f = corruptedCopy(s.random, f);
            }
            PacketBuffer duplicate = null;
            if (s.chance(faults.duplication())) {
                duplicate = f.copy();
                s.hit("dup", f.length(), stats.duplicated);
            }
            delayHoldOrSend(s, f, fin, faults, next, emitted);
            if (duplicate != null) {
                delayHoldOrSend(s, duplicate, fin, faults, next, emitted);
            }
        }
    }

    private void delayHoldOrSend(RuleState s, PacketBuffer frame, boolean fin, Faults faults, Pass next,
            List<Emitted> emitted) {
        FaultAction action = s.rule.action();
        int length = frame.length();
        long delay = 0;
        if (fin && action.slowCloseNanos() > 0) {
            s.hit("slowclose", length, stats.slowClosed);
            delay += action.slowCloseNanos();
        }
        if (s.chance(faults.delay())) {
            s.hit("latency", length, stats.delayed);
            delay += randomDelayNanos(s.random, faults);
        }
        boolean queued = false;
        if (action.bitsPerSecond() > 0) {
            if (s.bandwidthQueue >= BANDWIDTH_QUEUE_LIMIT) {
                s.hit("overflow", length, stats.overflowed);
                return;
            }
            long now = clock.nanoTime();
            long transmitNanos = Math.max(1, (long) (length * 8 * 1e9 / action.bitsPerSecond()));
            s.busyUntil = Math.max(now, s.busyUntil) + transmitNanos;
            delay += s.busyUntil - now;
            s.bandwidthQueue++;
            queued = true;
            s.hit("bandwidth", length, stats.throttled);
        }
        if (delay > 0) {
            // A copy: the writer may reuse its slices once written, and a receiving link its buffers.
            DelayedFrame d = new DelayedFrame(s, frame.copy(), next, queued);
            delayed.add(d);
            d.timer = clock.schedule(delay, d::fire);
        } else if (s.held == null && s.chance(faults.reordering())) {
            s.hit("reorder", length, stats.reordered);
            PacketBuffer held = frame.copy();
            s.held = held;
            s.heldPass = next;
            s.sentSinceHeld = 0;
            s.heldTimer = clock.schedule(faults.maxReorderHold().toNanos(), () -> releaseAfterTimeout(s, held));
        } else {
            send(s, frame, faults, next, emitted);
        }
    }

    /** Sends {@code frame} on through the later rules, then the held frame if enough frames have now overtaken it. */
    private void send(RuleState s, PacketBuffer frame, Faults faults, Pass next, List<Emitted> emitted) {
        pass(frame, next, emitted);
        if (s.held != null && ++s.sentSinceHeld >= faults.reorderWindow()) {
            s.heldTimer.cancel();
            PacketBuffer held = s.held;
            s.held = null;
            pass(held, s.heldPass, emitted);
        }
    }

    private void releaseAfterTimeout(RuleState s, PacketBuffer frame) {
        List<Emitted> emitted = new ArrayList<>(1);
        synchronized (lock) {
            if (s.held != frame) {
                return; // already released by later frames, or discarded by close
            }
            s.held = null;
            pass(frame, s.heldPass, emitted);
        }
        emitAll(emitted, false);
    }

    /**
     * Frames leave outside the lock. From inside this stack's own write, a frame for the stack
     * itself (an injected reset) goes through the clock's thread, as nothing is delivered re-entrantly.
     */
    private void emitAll(List<Emitted> emitted, boolean insideWrite) {
        for (Emitted e : emitted) {
            if (e.outbound() || inner.deliversToItself()) {
                inner.writeFrame(e.frame());
            } else if (insideWrite) {
                clock.schedule(0, () -> deliverUp(e.frame()));
            } else {
                deliverUp(e.frame());
            }
        }
    }

    private void deliverUp(PacketBuffer frame) {
        NetworkDispatcher d = dispatcher;
        if (d != null) {
            d.deliverNetworkPacket(frame);
        }
    }

    /**
     * No segmentation offload while a rule alters bytes: the device would cut a corrupted or
     * sliced large packet itself and write fresh checksums over the damage, so the receiver could
     * never catch it (Linux's netem likewise segments and finishes checksums before it corrupts).
     */
    @Override
    public int gsoMaxSize() {
        return rules.altersBytes() ? 0 : super.gsoMaxSize();
    }

    /** Checksums are the stack's own while a rule alters bytes, for the reason given at {@link #gsoMaxSize}. */
    @Override
    public boolean completesChecksums() {
        return !rules.altersBytes() && super.completesChecksums();
    }

    private PacketBuffer corruptedCopy(Random random, PacketBuffer frame) {
        // A copy (the original's slices may still be referenced elsewhere, e.g. for retransmission)
        // without the device's checksum vouch, which the corruption has made untrue.
        byte[] bytes = frame.toByteArray();
        PacketBuffer copy = PacketBuffer.wrap(bytes, 0, bytes.length);
        int length = copy.length();
        if (length == 0) {
            return copy;
        }
        int header = linkType().headerLength();
        int first = length > header ? header : 0;
        int index = first + random.nextInt(length - first);
        int bitsToFlip = 1 + random.nextInt(255);
        copy.array()[copy.offset() + index] ^= (byte) bitsToFlip;
        return copy;
    }

    private static long randomDelayNanos(Random random, Faults faults) {
        long min = faults.minDelay().toNanos();
        long max = faults.maxDelay().toNanos();
        return min == max ? min : min + random.nextLong(max - min + 1);
    }

    /** Discards held and delayed frames (counted as {@link Stats#discardedOnClose()}), then closes the wrapped link. */
    @Override
    public void close() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                for (RuleState s : states.values()) {
                    if (s.held != null) {
                        s.heldTimer.cancel();
                        stats.discardedOnClose.record(s.held.length());
                        s.held = null;
                    }
                }
                for (DelayedFrame d : delayed) {
                    d.timer.cancel();
                    stats.discardedOnClose.record(d.frame.length());
                }
                delayed.clear();
            }
        }
        inner.close();
    }

    /** Where a frame goes on after a rule: the later rules of the list it started with, then out or up. */
    private record Pass(List<FaultRule> rules, int next, boolean outbound) {
        Pass after(int index) {
            return new Pass(rules, index + 1, outbound);
        }
    }

    /** A frame leaving the fault path: written to the wrapped link, or delivered to this stack. */
    private record Emitted(PacketBuffer frame, boolean outbound) {
    }

    /** One rule's draws, held frame, bandwidth queue and reset connections on this link. */
    private final class RuleState {
        final FaultRule rule;
        final Random random;
        PacketBuffer held;
        Pass heldPass;
        Timer heldTimer;
        int sentSinceHeld;
        long busyUntil = Long.MIN_VALUE;
        int bandwidthQueue;
        final Map<Flow, Connection> connections = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Flow, Connection> eldest) {
                return size() > TRACKED_CONNECTIONS;
            }
        };

        RuleState(FaultRule rule) {
            this.rule = rule;
            this.random = new Random(rule.action().perFrame().phases().get(0).faults().seed());
        }

        boolean chance(double probability) {
            // Certain outcomes draw nothing, so adding a 0 or 1 fault keeps the other draws unchanged.
            if (probability <= 0) {
                return false;
            }
            return probability >= 1 || random.nextDouble() < probability;
        }

        void hit(String action, int bytes, FrameCounter counter) {
            counter.record(bytes);
            rules.recordHit(rule);
            FaultRuleHitEvent.emit(rule.text(), action, nicName, bytes);
        }

        /**
         * Counts the segment against its connection; once the rule's bytes or time have passed, the
         * segment is dropped and both ends get a RST in its stead (and so does any later segment of
         * the connection, which tells its sender's RCV.NXT exactly: RFC 5961 §3.2 accepts a RST
         * only there). True if the segment was taken.
         */
        boolean resetsConnection(PacketView view, boolean outbound, List<Emitted> emitted) {
            if (view.hasFlags(TcpHeader.RST)) {
                return false;
            }
            long now = clock.nanoTime();
            Flow flow = Flow.of(view);
            Connection c = connections.get(flow);
            if (c == null || (view.hasFlags(TcpHeader.SYN) && !view.hasFlags(TcpHeader.ACK))) {
                c = new Connection(now);
                connections.put(flow, c);
            }
            boolean fromLower = flow.isLower(view.source(), view.sourcePort());
            if (!c.reset) {
                FaultAction a = rule.action();
                boolean due = (a.resetAfterBytes() >= 0 && c.bytes >= a.resetAfterBytes())
                        || (a.resetAfterNanos() >= 0 && now - c.firstSeen >= a.resetAfterNanos());
                if (!due) {
                    c.bytes += view.payloadLength();
                    if (view.hasFlags(TcpHeader.ACK)) {
                        c.recordAck(fromLower, view.ack());
                    }
                    return false;
                }
                c.reset = true;
                // The receiver's RCV.NXT: where this segment starts if all before it arrived, or its
                // last ACK if that is further (the segment is a retransmission).
                int receiverNext = view.seq();
                if (c.hasAck(!fromLower) && c.ack(!fromLower) - view.seq() > 0) {
                    receiverNext = c.ack(!fromLower);
                }
                boolean towardReceiverIsOutbound = outbound || inner.deliversToItself();
                emitted.add(new Emitted(TcpFrames.reset(view, linkType(), false, receiverNext, 0, TcpHeader.RST),
                        towardReceiverIsOutbound));
            }
            emitted.add(new Emitted(resetToSender(view), !outbound || inner.deliversToItself()));
            hit("reset", view.frame().length(), stats.reset);
            return true;
        }

        private PacketBuffer resetToSender(PacketView view) {
            if (view.hasFlags(TcpHeader.ACK)) {
                return TcpFrames.reset(view, linkType(), true, view.ack(), 0, TcpHeader.RST);
            }
            // RFC 9293 §3.10.7.1: a segment without ACK is answered <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
            int segmentLength = view.payloadLength() + (view.hasFlags(TcpHeader.SYN) ? 1 : 0)
                    + (view.hasFlags(TcpHeader.FIN) ? 1 : 0);
            return TcpFrames.reset(view, linkType(), true, 0, view.seq() + segmentLength, TcpHeader.RST | TcpHeader.ACK);
        }
    }

    /** A TCP connection as a reset rule sees it. */
    private static final class Connection {
        final long firstSeen;
        long bytes;
        boolean reset;
        private final int[] acks = new int[2];
        private final boolean[] seen = new boolean[2];

        Connection(long firstSeen) {
            this.firstSeen = firstSeen;
        }

        void recordAck(boolean fromLower, int ack) {
            acks[fromLower ? 0 : 1] = ack;
            seen[fromLower ? 0 : 1] = true;
        }

        boolean hasAck(boolean fromLower) {
            return seen[fromLower ? 0 : 1];
        }

        int ack(boolean fromLower) {
            return acks[fromLower ? 0 : 1];
        }
    }

    /** A connection's two ends, the lower (by address, then port) first, so both directions share one key. */
    private record Flow(IpAddress lowAddress, int lowPort, IpAddress highAddress, int highPort) {
        static Flow of(PacketView v) {
            boolean sourceLower = compare(v.source(), v.sourcePort(), v.destination(), v.destinationPort()) <= 0;
            return sourceLower ? new Flow(v.source(), v.sourcePort(), v.destination(), v.destinationPort())
                    : new Flow(v.destination(), v.destinationPort(), v.source(), v.sourcePort());
        }

        boolean isLower(IpAddress address, int port) {
            return lowAddress.equals(address) && lowPort == port;
        }

        private static int compare(IpAddress a, int aPort, IpAddress b, int bPort) {
            int c = Arrays.compareUnsigned(a.toByteArray(), b.toByteArray());
            return c != 0 ? c : Integer.compare(aPort, bPort);
        }
    }

    private final class DelayedFrame {
        final RuleState state;
        final PacketBuffer frame;
        final Pass next;
        final boolean inBandwidthQueue;
        Timer timer;

        DelayedFrame(RuleState state, PacketBuffer frame, Pass next, boolean inBandwidthQueue) {
            this.state = state;
            this.frame = frame;
            this.next = next;
            this.inBandwidthQueue = inBandwidthQueue;
        }

        void fire() {
            List<Emitted> emitted = new ArrayList<>(2);
            synchronized (lock) {
                if (!delayed.remove(this)) {
                    return; // discarded by close
                }
                if (inBandwidthQueue) {
                    state.bandwidthQueue--;
                }
                send(state, frame, faultsNow(state.rule), next, emitted);
            }
            emitAll(emitted, false);
        }
    }

    /** Counters of the faults applied, per kind. */
    public static final class Stats {
        private final FrameCounter lost = new FrameCounter();
        private final FrameCounter duplicated = new FrameCounter();
        private final FrameCounter reordered = new FrameCounter();
        private final FrameCounter corrupted = new FrameCounter();
        private final FrameCounter delayed = new FrameCounter();
        private final FrameCounter discardedOnClose = new FrameCounter();
        private final FrameCounter blackholed = new FrameCounter();
        private final FrameCounter reset = new FrameCounter();
        private final FrameCounter sliced = new FrameCounter();
        private final FrameCounter slowClosed = new FrameCounter();
        private final FrameCounter throttled = new FrameCounter();
        private final FrameCounter overflowed = new FrameCounter();

        public FrameCounter lost() {
            return lost;
        }

        /** Frames sent twice (counted once per extra copy). */
        public FrameCounter duplicated() {
            return duplicated;
        }

        /** Frames held back and sent after later ones. */
        public FrameCounter reordered() {
            return reordered;
        }

        public FrameCounter corrupted() {
            return corrupted;
        }

        public FrameCounter delayed() {
            return delayed;
        }

        /** Held or delayed frames thrown away because the link closed. */
        public FrameCounter discardedOnClose() {
            return discardedOnClose;
        }

        /** Frames a blackhole swallowed. */
        public FrameCounter blackholed() {
            return blackholed;
        }

        /** Segments dropped and answered with resets of their connection. */
        public FrameCounter reset() {
            return reset;
        }

        /** Segments cut into slices (each counted once, with its length before slicing). */
        public FrameCounter sliced() {
            return sliced;
        }

        /** Segments carrying FIN held back by a slow close. */
        public FrameCounter slowClosed() {
            return slowClosed;
        }

        /** Frames queued behind a bandwidth limit. */
        public FrameCounter throttled() {
            return throttled;
        }

        /** Frames dropped because a bandwidth limit's queue was full. */
        public FrameCounter overflowed() {
            return overflowed;
        }

        @Override
        public String toString() {
            return "FaultyLink.Stats[lost=" + lost + ", duplicated=" + duplicated + ", reordered=" + reordered
                    + ", corrupted=" + corrupted + ", delayed=" + delayed + ", discardedOnClose=" + discardedOnClose
                    + ", blackholed=" + blackholed + ", reset=" + reset + ", sliced=" + sliced + ", slowClosed="
                    + slowClosed + ", throttled=" + throttled + ", overflowed=" + overflowed + "]";
        }
    }

    /**
     * Which faults to inject. Probabilities are per frame and lie in [0, 1]; delays are drawn
     * uniformly from [{@code minDelay}, {@code maxDelay}].
     *
     * @param reorderWindow how many later frames overtake a held frame before it is sent (at least 1)
     * @param maxReorderHold longest time a frame is held for reordering (positive)
     */
    public record Faults(double loss, double duplication, double reordering, double corruption, double delay,
            Duration minDelay, Duration maxDelay, int reorderWindow, Duration maxReorderHold, long seed) {
        /** No faults: every frame passes straight through. */
        public static final Faults NONE = builder().build();

        public Faults {
            requireProbability("loss", loss);
            requireProbability("duplication", duplication);
            requireProbability("reordering", reordering);
            requireProbability("corruption", corruption);
            requireProbability("delay", delay);
            Objects.requireNonNull(minDelay, "minDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(maxReorderHold, "maxReorderHold");
            if (minDelay.isNegative() || minDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("minDelay must be in [0, maxDelay], got minDelay=" + minDelay + " maxDelay=" + maxDelay);
            }
            if (reorderWindow < 1) {
                throw new IllegalArgumentException("reorderWindow must be at least 1 frame, got " + reorderWindow);
            }
            if (maxReorderHold.isNegative() || maxReorderHold.isZero()) {
                throw new IllegalArgumentException("maxReorderHold must be positive, got " + maxReorderHold);
            }
        }

        private static void requireProbability(String field, double p) {
            if (!(p >= 0 && p <= 1)) { // also rejects NaN
                throw new IllegalArgumentException(field + " must be a probability in [0, 1], got " + p);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        /** A builder that starts from these faults, to derive others from them. */
        public Builder toBuilder() {
            return builder().loss(loss).duplication(duplication).reordering(reordering).corruption(corruption)
                    .delay(delay, minDelay, maxDelay).reorderBound(reorderWindow, maxReorderHold).seed(seed);
        }

        /** Builds {@link Faults}; unset faults are off. Validation happens in {@link #build()}. */
        public static final class Builder {
            private double loss;
            private double duplication;
            private double reordering;
            private double corruption;
            private double delay;
            private Duration minDelay = Duration.ZERO;
            private Duration maxDelay = Duration.ZERO;
            private int reorderWindow = 3;
            private Duration maxReorderHold = Duration.ofMillis(10);
            private long seed = 1;

            private Builder() {
            }

            public Builder loss(double probability) {
                this.loss = probability;
                return this;
            }

            public Builder duplication(double probability) {
                this.duplication = probability;
                return this;
            }

            /** Holds a frame back with {@code probability}; see {@link #reorderBound} for how long. */
            public Builder reordering(double probability) {
                this.reordering = probability;
                return this;
            }

            /** A held frame is sent after {@code frames} later frames or after {@code maxHold}. Default: 3 frames, 10 ms. */
            public Builder reorderBound(int frames, Duration maxHold) {
                this.reorderWindow = frames;
                this.maxReorderHold = maxHold;
                return this;
            }

            public Builder corruption(double probability) {
                this.corruption = probability;
                return this;
            }

            /** Delays a frame with {@code probability} by a uniform random time in [{@code min}, {@code max}]. */
            public Builder delay(double probability, Duration min, Duration max) {
                this.delay = probability;
                this.minDelay = min;
                this.maxDelay = max;
                return this;
            }

            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            public Faults build() {
                return new Faults(loss, duplication, reordering, corruption, delay, minDelay, maxDelay, reorderWindow,
                        maxReorderHold, seed);
            }
        }
    }

    /** Faults that hold for {@code length} in a {@link Schedule}. */
    public record Phase(Duration length, Faults faults) {
        public Phase {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(faults, "faults");
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a phase's length must be positive, got " + length);
            }
        }
    }

    /**
     * Faults that change over time: the phases run one after another, and after the last the first
     * begins again, so a link keeps changing however long it lives.
     */
    public record Schedule(List<Phase> phases) {
        public Schedule {
            phases = List.copyOf(phases);
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("a schedule needs at least one phase");
            }
        }

        /** The same faults all the time. */
        public static Schedule constant(Faults faults) {
            return new Schedule(List.of(new Phase(Duration.ofDays(1), faults)));
        }

        public static Schedule cycle(Phase... phases) {
            return new Schedule(List.of(phases));
        }

        /** This schedule with every phase's faults changed by {@code change}, e.g. one kind of fault turned off. */
        public Schedule map(UnaryOperator<Faults> change) {
            List<Phase> changed = new ArrayList<>(phases.size());
            for (Phase p : phases) {
                changed.add(new Phase(p.length(), change.apply(p.faults())));
            }
            return new Schedule(changed);
        }

        /** The faults in force {@code elapsedNanos} after the schedule started. */
        public Faults at(long elapsedNanos) {
            if (phases.size() == 1) {
                return phases.get(0).faults();
            }
            long cycle = 0;
            for (Phase p : phases) {
                cycle += p.length().toNanos();
            }
            long intoCycle = Math.floorMod(elapsedNanos, cycle);
            for (Phase p : phases) {
                intoCycle -= p.length().toNanos();
                if (intoCycle < 0) {
                    return p.faults();
                }
            }
            throw new AssertionError("unreachable: the offset lies within one cycle");
        }
    }
}
