package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.Clock;
import io.jnetstack.time.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One NIC's neighbour cache: next-hop IP address → link address, with resolution through a
 * {@link Resolver} (ARP), packets held while an address is being resolved, and waiters. It follows
 * the shape of Linux's neighbour table and gVisor's {@code linkAddrCache}, simplified:
 *
 * <ul>
 *   <li>{@link State#INCOMPLETE}: a request was sent; packets wait (at most
 *       {@link Config#maxHeldPackets}, oldest dropped first). Requests are repeated every
 *       {@link Config#retryInterval} until {@link Config#maxRequests} have gone unanswered, then the
 *       entry fails.</li>
 *   <li>{@link State#REACHABLE}: packets go out at once.</li>
 *   <li>{@link State#STALE}: a reachable entry older than {@link Config#lifetime}. Packets still go
 *       out to the old address, and the first of them starts a re-resolution in the background.</li>
 *   <li>{@link State#FAILED}: resolution failed; for {@link Config#failedHold} packets are dropped
 *       at once and waiters told "failed", after which the next packet tries again.</li>
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
        void sendRequest(IpAddress target);
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

    public enum State { INCOMPLETE, REACHABLE, STALE, FAILED }

    /**
     * Tunables; {@link #DEFAULT} mirrors Linux's defaults where they exist.
     *
     * @param maxRequests    requests sent per resolution before it fails (Linux ucast/mcast_solicit 3)
     * @param retryInterval  time between requests (Linux retrans_time 1 s)
     * @param lifetime       how long a resolved address is used without re-resolving
     * @param failedHold     how long a failed entry answers "failed" before a new attempt
     * @param maxHeldPackets packets held per unresolved entry (Linux's unres_qlen was 101, enough for
     *                       a maximum-size datagram's 45 fragments at MTU 1500)
     * @param maxEntries     entries in the cache; the oldest settled entry is evicted beyond it
     */
    public record Config(int maxRequests, Duration retryInterval, Duration lifetime, Duration failedHold,
                         int maxHeldPackets, int maxEntries) {
        public static final Config DEFAULT = new Config(3, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(3), 101, 512);

        public Config {
            if (maxRequests < 1 || maxHeldPackets < 0 || maxEntries < 1) {
                throw new IllegalArgumentException("need maxRequests >= 1, maxHeldPackets >= 0, maxEntries >= 1");
            }
            if (retryInterval.isNegative() || retryInterval.isZero() || lifetime.isNegative() || failedHold.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative, retryInterval must be positive");
            }
        }
    }

    /** Counts since creation. */
    public record Counters(long resolved, long failed, long heldPacketsDropped, long requestsSent) {
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

    public LinkAddressCache(Clock clock, Resolver resolver, Config config) {
        this.clock = clock;
        this.resolver = resolver;
        this.config = config;
    }

    /**
     * Sends {@code packet} to {@code nextHop} through {@code tx}: now if its link address is known
     * (even if stale), after resolution if not, or never if resolution fails (the packet is then
     * dropped and counted). Held packets of one next hop are transmitted in the order sent.
     */
    public void send(IpAddress nextHop, PacketBuffer packet, Transmitter tx) {
        LinkAddress known;
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entryFor(nextHop, actions);
            known = e.address;
            switch (e.state()) {
                case REACHABLE -> {
                }
                case STALE -> {
                    if (e.resolution == null) {
                        startResolution(e, actions);
                    }
                }
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
     * Records that {@code ip} is at {@code address} (learned from an ARP reply or request): creates
     * or refreshes the entry and, if it was being resolved, transmits its held packets and tells its
     * listeners.
     */
    public void update(IpAddress ip, LinkAddress address) {
        Actions actions = new Actions();
        synchronized (lock) {
            Entry e = entries.get(ip);
            if (e == null) {
                e = newEntry(ip, actions);
            }
            boolean wasResolving = e.resolution != null;
            e.address = address;
            e.failedAt = Long.MIN_VALUE;
            e.refreshedAt = clock.nanoTime();
            if (wasResolving) {
                resolved++;
                finishResolution(e, actions, address);
            }
        }
        actions.run();
    }

    /** The link address of {@code ip} if it is known (reachable or stale), else null. */
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
            knownFailed = e.state() == State.FAILED;
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
            return new Counters(resolved, failed, heldPacketsDropped, requestsSent);
        }
    }

    /** The entry for {@code ip}, created and resolving if absent, re-resolving if its failure hold is over. */
    private Entry entryFor(IpAddress ip, Actions actions) {
        Entry e = entries.get(ip);
        if (e == null) {
            e = newEntry(ip, actions);
            startResolution(e, actions);
        } else if (e.state() == State.FAILED && clock.nanoTime() - e.failedAt >= config.failedHold.toNanos()) {
            e.failedAt = Long.MIN_VALUE;
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
        if (oldest.resolution != null) {
            failed++;
            finishResolution(oldest, actions, null);
        }
    }

    private void startResolution(Entry e, Actions actions) {
        Resolution r = new Resolution();
        e.resolution = r;
        sendRequest(e, r, actions);
    }

    private void sendRequest(Entry e, Resolution r, Actions actions) {
        r.requestsSent++;
        requestsSent++;
        IpAddress ip = e.ip;
        actions.add(() -> resolver.sendRequest(ip));
        r.timer = clock.schedule(config.retryInterval.toNanos(), () -> onRetryTimer(e, r));
    }

    private void onRetryTimer(Entry e, Resolution r) {
        Actions actions = new Actions();
        synchronized (lock) {
            if (e.resolution != r || entries.get(e.ip) != e) {
                return; // answered, evicted or superseded meanwhile
            }
            if (r.requestsSent < config.maxRequests) {
                sendRequest(e, r, actions);
            } else {
                failed++;
                e.address = null;
                e.failedAt = clock.nanoTime();
                finishResolution(e, actions, null);
            }
        }
        actions.run();
    }

    /** Ends {@code e}'s resolution: flushes or drops its held packets and tells its listeners. */
    private void finishResolution(Entry e, Actions actions, LinkAddress address) {
        Resolution r = e.resolution;
        e.resolution = null;
        if (r.timer != null) {
            r.timer.cancel();
        }
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
        held.addLast(new HeldPacket(packet, tx));
    }

    private final class Entry {
        final IpAddress ip;
        /** The resolved address, kept while stale and re-resolving; null before the first answer and after failure. */
        LinkAddress address;
        long refreshedAt;
        long failedAt = Long.MIN_VALUE;
        /** Non-null while requests are out. */
        Resolution resolution;

        Entry(IpAddress ip, long now) {
            this.ip = ip;
            this.refreshedAt = now;
        }

        State state() {
            if (address != null) {
                return clock.nanoTime() - refreshedAt > config.lifetime.toNanos() ? State.STALE : State.REACHABLE;
            }
            return failedAt != Long.MIN_VALUE ? State.FAILED : State.INCOMPLETE;
        }
    }

    private static final class Resolution {
        final ArrayDeque<HeldPacket> held = new ArrayDeque<>();
        final List<ResolutionListener> listeners = new ArrayList<>(1);
        int requestsSent;
        Timer timer;
    }

    private record HeldPacket(PacketBuffer packet, Transmitter tx) {
    }

    /** Calls to make once the lock is released, in order. */
    private static final class Actions {
        private final List<Runnable> list = new ArrayList<>();

        void add(Runnable r) {
            list.add(r);
        }

        void run() {
            for (Runnable r : list) {
                r.run();
            }
        }
    }
}
