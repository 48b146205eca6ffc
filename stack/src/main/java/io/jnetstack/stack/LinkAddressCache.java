package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.Clock;
import io.jnetstack.time.RearmableTimer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One NIC's neighbour cache: next-hop IP address → link address, with resolution through a
 * {@link Resolver} (ARP), packets held while an address is being resolved, waiters, and neighbour
 * unreachability detection. The states are RFC 4861 §7.3.2's, applied to ARP as Linux's neighbour
 * subsystem does:
 *
 * <ul>
 *   <li>{@link State#INCOMPLETE}: a broadcast request was sent; packets wait (at most
 *       {@link Config#maxHeldPackets}, oldest dropped first). Requests are repeated every
 *       {@link Config#retryInterval} until {@link Config#maxRequests} have gone unanswered, then the
 *       entry fails.</li>
 *   <li>{@link State#REACHABLE}: reachability was confirmed, by an answer or by upper-layer
 *       progress ({@link #confirm}), less than {@link Config#reachableTime} ago. Packets go out.</li>
 *   <li>{@link State#STALE}: the address is known but unconfirmed (it came from a request or an
 *       unsolicited announcement, or its reachable time ran out). Packets go out; the first one
 *       moves the entry to DELAY (RFC 4861 §7.3.3).</li>
 *   <li>{@link State#DELAY}: packets go out; if nothing confirms the neighbour within
 *       {@link Config#delayFirstProbe}, probing starts.</li>
 *   <li>{@link State#PROBE}: packets still go out to the cached address while up to
 *       {@link Config#maxProbes} unicast requests, one per retry interval, ask the neighbour itself.
 *       An answer makes it reachable; silence fails the entry. The upper layer can also start
 *       probing at once ({@link #suspect}), as TCP does when its retransmissions time out.</li>
 *   <li>{@link State#FAILED}: packets are dropped and waiters told "failed". After a failed
 *       broadcast resolution this holds for {@link Config#failedHold}; after failed probing the next
 *       packet asks the whole link again at once, as Linux does.</li>
 * </ul>
 *
 * <p>Thread-safe: it is called from application threads, link reader threads and clock timers.
 * Transmitters, the resolver and listeners are always called without the internal lock held, so
 * they may call back into the cache.
 */
public final class LinkAddressCache {
    /** Sends one resolution request (an ARP request) for {@code target}. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * Asks for {@code target}'s link address: broadcast when {@code probedAddress} is null, else a
         * unicast probe to {@code probedAddress}, the address the cache has for it.
         */
        void sendRequest(IpAddress target, LinkAddress probedAddress);
    }

    /** Puts a packet on the link addressed to {@code destination}. */
    @FunctionalInterface
    public interface Transmitter {
        void transmit(LinkAddress destination, PacketBuffer packet);
    }

    /** Told once how a resolution ended. */
    public interface ResolutionListener {
        void resolved(LinkAddress address);

        void failed();
    }

    public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED }

    /**
     * Tunables; {@link #DEFAULT} mirrors Linux's ARP defaults.
     *
     * @param maxRequests     broadcast requests per resolution before it fails (Linux mcast_solicit 3)
     * @param maxProbes       unicast probes before a probed entry fails (Linux ucast_solicit 3)
     * @param retryInterval   time between requests and between probes (Linux retrans_time 1 s)
     * @param reachableTime   how long a confirmation keeps an entry reachable (Linux base_reachable_time
     *                        30 s; Linux randomizes it per entry by 0.5 to 1.5, this cache does not)
     * @param delayFirstProbe how long a used stale entry waits for a confirmation before probing
     *                        (Linux delay_first_probe_time 5 s)
     * @param failedHold      how long a failed broadcast resolution answers "failed" before a new attempt
     * @param maxHeldPackets  packets held per unresolved entry (Linux's unres_qlen was 101, enough for
     *                        a maximum-size datagram's 45 fragments at MTU 1500)
     * @param maxEntries      entries in the cache; the oldest settled entry is evicted beyond it
     */
    public record Config(int maxRequests, int maxProbes, Duration retryInterval, Duration reachableTime,
                         Duration delayFirstProbe, Duration failedHold, int maxHeldPackets, int maxEntries) {
        public static final Config DEFAULT = new Config(3, 3, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(3), 101, 512);

        public Config {
            if (maxRequests < 1 || maxProbes < 1 || maxHeldPackets < 0 || maxEntries < 1) {
                throw new IllegalArgumentException(
                        "need maxRequests >= 1, maxProbes >= 1, maxHeldPackets >= 0, maxEntries >= 1");
            }
            if (retryInterval.isNegative() || retryInterval.isZero() || reachableTime.isNegative()
                    || delayFirstProbe.isNegative() || failedHold.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative, retryInterval must be positive");
            }
        }
    }

    /** Counts since creation. */
    public record Counters(long resolved, long failed, long heldPacketsDropped, long requestsSent, long probesSent) {
    }

    private final Clock clock;
    private final Resolver resolver;
    private final Config config;
    private final Object lock = new Object();
    private final Map<IpAddress, Entry> entries = new HashMap<>();
    private long resolved;
    private long failed;
    private long heldPacketsDropped;
    private long requestsSent;
    private long probesSent;

    public LinkAddressCache(Clock clock, Resolver resolver, Config config) {
        this.clock = clock;
        this.resolver = resolver;
        this.config = config;
    }

    /**
     * Sends {@code packet} to {@code nextHop} through {@code tx}: now if its link address is known
     * (in any state but INCOMPLETE and FAILED), after resolution if not, or never if resolution
     * fails (the packet is then dropped and counted). Held packets of one next hop are transmitted
     * in the order sent.
     */
    public void send(IpAddress nextHop, PacketBuffer packet, Transmitter tx) {
        LinkAddress known;
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entryFor(nextHop, actions);
            known = e.address;
            switch (e.state()) {
                case REACHABLE, DELAY, PROBE -> {
                }
                case STALE -> enterDelay(e);
                case INCOMPLETE -> hold(e, packet, tx);
                case FAILED -> heldPacketsDropped++;
            }
        }
        actions.run();
        if (known != null) {
            tx.transmit(known, packet);
        }
    }

    /**
     * Records an answer: {@code ip} is at {@code address} and reachable (an ARP reply addressed to
     * this host). Creates or refreshes the entry and, if it was being resolved, transmits its held
     * packets and tells its listeners.
     */
    public void update(IpAddress ip, LinkAddress address) {
        learn(ip, address, State.REACHABLE);
    }

    /**
     * Records that {@code ip} claims {@code address} without proof that it is reachable (an ARP
     * request, a broadcast or gratuitous announcement): the entry becomes STALE, so it is checked
     * before long if used. The same address as an entry already has changes nothing (Linux).
     */
    public void updateUnconfirmed(IpAddress ip, LinkAddress address) {
        learn(ip, address, State.STALE);
    }

    private void learn(IpAddress ip, LinkAddress address, State newState) {
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entries.get(ip);
            if (e == null) {
                e = newEntry(ip, actions);
            } else if (newState == State.STALE && address.equals(e.address)) {
                return;
            }
            boolean wasResolving = e.resolution != null;
            e.cancelTimer();
            e.address = address;
            e.state = newState;
            e.refreshedAt = clock.nanoTime();
            if (newState == State.REACHABLE) {
                e.confirmedAt = e.refreshedAt;
            }
            if (wasResolving) {
                resolved++;
                finishResolution(e, actions, address);
            }
        }
        actions.run();
    }

    /**
     * Upper-layer reachability confirmation (RFC 4861 §7.3.1), e.g. TCP saw new data acknowledged:
     * an entry with a known address becomes REACHABLE, and any DELAY or PROBE ends.
     */
    public void confirm(IpAddress ip) {
        synchronized (lock) {
            Entry e = entries.get(ip);
            if (e == null || e.address == null) {
                return;
            }
            e.confirmedAt = clock.nanoTime();
            if (e.state != State.REACHABLE) {
                e.cancelTimer();
                e.state = State.REACHABLE;
            }
        }
    }

    /**
     * Upper-layer doubt (Linux's negative advice from TCP retransmission timeouts): an entry with a
     * known address that is not already being probed starts probing it now.
     */
    public void suspect(IpAddress ip) {
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entries.get(ip);
            if (e == null || e.address == null || e.state == State.PROBE) {
                return;
            }
            startProbing(e, actions);
        }
        actions.run();
    }

    /** The link address of {@code ip} if it is known, else null. */
    public LinkAddress lookup(IpAddress ip) {
        synchronized (lock) {
            Entry e = entries.get(ip);
            return e == null ? null : e.address;
        }
    }

    /** The state of {@code ip}'s entry, or null if the cache has none. */
    public State state(IpAddress ip) {
        synchronized (lock) {
            Entry e = entries.get(ip);
            return e == null ? null : e.state();
        }
    }

    /**
     * Calls {@code listener} once when {@code ip} is resolved or fails; at once if the answer is
     * already known. Starts a resolution if none is under way and the address is unknown.
     */
    public void addListener(IpAddress ip, ResolutionListener listener) {
        LinkAddress known;
        boolean knownFailed;
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entryFor(ip, actions);
            known = e.address;
            knownFailed = e.state == State.FAILED;
            if (known == null && !knownFailed) {
                e.resolution.listeners.add(listener);
            }
        }
        actions.run();
        if (known != null) {
            listener.resolved(known);
        } else if (knownFailed) {
            listener.failed();
        }
    }

    /** Number of entries, in any state. */
    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    public Counters counters() {
        synchronized (lock) {
            return new Counters(resolved, failed, heldPacketsDropped, requestsSent, probesSent);
        }
    }

    /** The entry for {@code ip}, created and resolving if absent, re-resolving if its failure hold is over. */
    private Entry entryFor(IpAddress ip, Actions actions) {
        Entry e = entries.get(ip);
        if (e == null) {
            e = newEntry(ip, actions);
            startResolution(e, actions);
        } else if (e.state == State.FAILED && clock.nanoTime() - e.failedUntil >= 0) {
            startResolution(e, actions);
        }
        return e;
    }

    private Entry newEntry(IpAddress ip, Actions actions) {
        if (entries.size() >= config.maxEntries) {
            evictOldest(actions);
        }
        Entry e = new Entry(ip, clock.nanoTime());
        entries.put(ip, e);
        return e;
    }

    /**
     * Makes room by removing the least recently refreshed entry, preferring settled ones (like
     * Linux's forced neighbour GC, which spares entries still resolving) so held packets survive.
     */
    private void evictOldest(Actions actions) {
        Entry oldest = null;
        for (Entry e : entries.values()) {
            boolean settled = e.resolution == null;
            boolean oldestSettled = oldest != null && oldest.resolution == null;
            if (oldest == null || (settled && !oldestSettled)
                    || (settled == oldestSettled && e.refreshedAt < oldest.refreshedAt)) {
                oldest = e;
            }
        }
        entries.remove(oldest.ip);
        oldest.cancelTimer();
        if (oldest.resolution != null) {
            failed++;
            finishResolution(oldest, actions, null);
        }
    }

    private void startResolution(Entry e, Actions actions) {
        e.cancelTimer();
        e.state = State.INCOMPLETE;
        e.resolution = new Resolution();
        e.solicitations = 0;
        solicit(e, actions);
    }

    /** RFC 4861 §7.3.3: the first packet to a STALE entry starts the delay before probing. */
    private void enterDelay(Entry e) {
        e.state = State.DELAY;
        e.startTimer(config.delayFirstProbe);
    }

    /** RFC 4861 §7.3.3: PROBE sends unicast solicitations to the cached address. */
    private void startProbing(Entry e, Actions actions) {
        e.cancelTimer();
        e.state = State.PROBE;
        e.solicitations = 0;
        solicit(e, actions);
    }

    /** Sends the next request of the entry's INCOMPLETE or PROBE round and times it. */
    private void solicit(Entry e, Actions actions) {
        e.solicitations++;
        IpAddress ip = e.ip;
        LinkAddress probed = e.state == State.PROBE ? e.address : null;
        if (probed == null) {
            requestsSent++;
        } else {
            probesSent++;
        }
        actions.add(() -> resolver.sendRequest(ip, probed));
        e.startTimer(config.retryInterval);
    }

    /** The entry's timer ran out: DELAY starts probing; INCOMPLETE and PROBE ask again or give up. */
    private void timerExpired(Entry e, Actions actions) {
        if (e.state == State.DELAY) {
            startProbing(e, actions);
            return;
        }
        int limit = e.state == State.PROBE ? config.maxProbes : config.maxRequests;
        if (e.solicitations < limit) {
            solicit(e, actions);
        } else {
            fail(e, actions);
        }
    }

    /**
     * Nobody answered. A failed broadcast resolution holds its failure for a while so that an absent
     * host is not asked about with every packet; failed probing has not asked the whole link yet,
     * so the next packet does at once (Linux's NUD_FAILED).
     */
    private void fail(Entry e, Actions actions) {
        boolean probing = e.state == State.PROBE;
        failed++;
        e.state = State.FAILED;
        e.address = null;
        e.failedUntil = clock.nanoTime() + (probing ? 0 : config.failedHold.toNanos());
        if (e.resolution != null) {
            finishResolution(e, actions, null);
        }
    }

    /** Ends {@code e}'s resolution: flushes or drops its held packets and tells its listeners. */
    private void finishResolution(Entry e, Actions actions, LinkAddress address) {
        Resolution r = e.resolution;
        e.resolution = null;
        if (address == null) {
            heldPacketsDropped += r.held.size();
            for (ResolutionListener l : r.listeners) {
                actions.add(l::failed);
            }
            return;
        }
        for (HeldPacket h : r.held) {
            actions.add(() -> h.tx.transmit(address, h.packet));
        }
        for (ResolutionListener l : r.listeners) {
            actions.add(() -> l.resolved(address));
        }
    }

    private void hold(Entry e, PacketBuffer packet, Transmitter tx) {
        ArrayDeque<HeldPacket> held = e.resolution.held;
        if (config.maxHeldPackets == 0) {
            heldPacketsDropped++;
            return;
        }
        if (held.size() == config.maxHeldPackets) {
            held.removeFirst(); // Linux's neigh __neigh_event_send drops the oldest too
            heldPacketsDropped++;
        }
        // A copy: the sender may reuse the arrays the packet slices once send returns (see Route#releasesSlicesOnWrite).
        held.addLast(new HeldPacket(packet.copy(), tx));
    }

    private final class Entry {
        final IpAddress ip;
        /** The link address, kept through STALE, DELAY and PROBE; null before the first answer and after failure. */
        LinkAddress address;
        State state = State.INCOMPLETE;
        long refreshedAt;
        long confirmedAt;
        long failedUntil;
        /** Requests or probes sent in the current INCOMPLETE or PROBE round. */
        int solicitations;
        /** Non-null while INCOMPLETE: the packets and listeners waiting for the answer. */
        Resolution resolution;
        /** The retry, probe or delay timer, made on first use and re-armed from then on. */
        private RearmableTimer timer;
        /** Whether the timer is meant to run, and when: a run already under way when it was re-armed or cancelled is ignored. */
        private boolean timerArmed;
        private long timerDueAt;

        Entry(IpAddress ip, long now) {
            this.ip = ip;
            this.refreshedAt = now;
        }

        /** The state, with a REACHABLE entry whose confirmation is older than the reachable time STALE. */
        State state() {
            if (state == State.REACHABLE && clock.nanoTime() - confirmedAt > config.reachableTime.toNanos()) {
                state = State.STALE;
            }
            return state;
        }

        /** Arms the entry's timer for {@code delay} from now, replacing its deadline; see {@link #timerExpired}. Under the lock. */
        void startTimer(Duration delay) {
            if (timer == null) {
                timer = clock.newTimer(this::onTimer);
            }
            long delayNanos = delay.toNanos();
            timerArmed = true;
            timerDueAt = clock.nanoTime() + delayNanos;
            timer.arm(delayNanos);
        }

        void cancelTimer() {
            timerArmed = false;
            if (timer != null) {
                timer.cancel();
            }
        }

        private void onTimer() {
            Actions actions = new Actions();
            synchronized (lock) {
                // A run that had begun before the timer was re-armed or cancelled (or the entry evicted) is stale.
                if (!timerArmed || clock.nanoTime() - timerDueAt < 0 || entries.get(ip) != this) {
                    return;
                }
                timerArmed = false;
                timerExpired(this, actions);
            }
            actions.run();
        }
    }

    private static final class Resolution {
        final ArrayDeque<HeldPacket> held = new ArrayDeque<>();
        final List<ResolutionListener> listeners = new ArrayList<>(1);
    }

    private record HeldPacket(PacketBuffer packet, Transmitter tx) {
    }

    /** Calls to make once the lock is released, in order. */
    private static final class Actions {
        /** Made on the first action: most sends have none, and each send has its own Actions. */
        private List<Runnable> list;

        void add(Runnable r) {
            if (list == null) {
                list = new ArrayList<>();
            }
            list.add(r);
        }

        void run() {
            if (list == null) {
                return;
            }
            for (Runnable r : list) {
                r.run();
            }
        }
    }
}
