package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.MemoryAccount;
import io.jnetstack.fault.FaultRules;
import io.jnetstack.fault.FaultRulesMBean;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.time.Clock;
import io.jnetstack.time.SystemClock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.management.DynamicMBean;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * One TCP/IP stack: its NICs, route table, registered network and transport protocols, port
 * manager, demuxer, clock, processor threads and statistics. Built with {@link #builder()}.
 */
public final class Stack implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Stack.class.getName());

    /** Default TTL (hop limit) of originated packets (Linux's ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;
    /** How long {@link #close} waits for the processors to finish the connections' aborts. */
    private static final Duration PROCESSOR_DRAIN_LIMIT = Duration.ofSeconds(5);
    /** {@link Builder#processors}' value for none: connections run to completion. */
    private static final int RUN_TO_COMPLETION = 0;

    private final Clock clock;
    private final boolean ownsClock;
    private final RouteTable routes = new RouteTable();
    private final TransportDemuxer demuxer = new TransportDemuxer();
    private final PortManager ports;
    private final Counters<StackCounter> stats = new Counters<>(StackCounter.class, StackCounter.DROPS, "");
    private final Map<Integer, TransportProtocol> transports = new ConcurrentHashMap<>();
    /**
     * The NICs, replaced whole on each change (rare) under {@link #nicChange}: every packet in asks
     * which NIC has its destination, and walking an array needs neither an iterator nor a lock.
     */
    private volatile Nic[] nics = new Nic[0];
    private final Object nicChange = new Object();
    private final AtomicInteger nextNicId = new AtomicInteger(1);
    private final LinkAddressCache.Config neighborConfig;
    private final NetworkProtocolTable networkProtocols;
    private final Executor[] processors;
    private final List<ProcessorThread> processorThreads = new ArrayList<>();
    private final AtomicBoolean taskFailureLogged = new AtomicBoolean();
    /** {@link #taskFailed} as the handler every connection's executor gets: one for the stack, not one per connection. */
    private final Consumer<Throwable> taskFailure = this::taskFailed;
    private final int ttl;
    private final List<String> mbeanNames = new ArrayList<>();
    private final FaultRules faults = new FaultRules();
    /** Where links charge the arrays they keep for reuse (see {@link #chargeSpareArraysTo}); null: nowhere. */
    private volatile MemoryAccount spareArrays;

    private Stack(Builder b) {
        this.ownsClock = b.clock == null;
        this.clock = ownsClock ? new SystemClock(this::taskFailed) : b.clock;
        this.ttl = b.ttl;
        this.neighborConfig = b.neighborConfig;
        this.ports = b.portManager != null ? b.portManager : new PortManager();
        this.networkProtocols = new NetworkProtocolTable(b.networks.values());
        if (b.processorExecutor != null) {
            this.processors = new Executor[] {b.processorExecutor};
        } else if (b.processors == RUN_TO_COMPLETION) {
            this.processors = new Executor[0];
        } else {
            this.processors = new Executor[b.processors];
            for (int i = 0; i < b.processors; i++) {
                ProcessorThread p = new ProcessorThread("jnetstack-processor-" + i, this::taskFailed);
                processorThreads.add(p);
                processors[i] = p;
            }
        }
        for (TransportProtocol t : b.transports) {
            transports.put(t.number(), t);
        }
        networkProtocols.attachAll(new StackNetworkHost(this));
        for (TransportProtocol t : b.transports) {
            t.attach(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a NIC over {@code link}, enabled. Its id is the next free positive integer. The NIC's
     * {@link Nic#link()} is {@code link} inside a {@link FaultyLink} that applies {@link #faults()}.
     */
    public Nic createNic(String name, LinkEndpoint link) {
        MemoryAccount account = spareArrays;
        if (account != null) {
            link.chargeSpareArraysTo(account);
        }
        Nic nic = new Nic(this, nextNicId.getAndIncrement(), name, new FaultyLink(link, faults, name, clock), neighborConfig);
        synchronized (nicChange) {
            Nic[] changed = Arrays.copyOf(nics, nics.length + 1);
            changed[nics.length] = nic;
            nics = changed;
        }
        nic.enable();
        networkProtocols.nicCreated(nic);
        return nic;
    }

    /**
     * Makes every link of this stack, those to come too, charge the arrays it keeps for reuse to
     * {@code account}: the memory limit derived from the heap that a transport (TCP) enforces, so
     * that spare arrays count against it. Called once, by that transport, as it attaches.
     */
    public void chargeSpareArraysTo(MemoryAccount account) {
        spareArrays = account;
        for (Nic n : nics) {
            n.link().chargeSpareArraysTo(account);
        }
    }

    /** Disables and removes a NIC and its routes; closes its link. */
    public void removeNic(Nic nic) {
        nic.disable();
        synchronized (nicChange) {
            List<Nic> kept = new ArrayList<>(List.of(nics));
            kept.remove(nic);
            nics = kept.toArray(new Nic[0]);
        }
        routes.removeNic(nic.id());
        nic.link().close();
    }

    public List<Nic> nics() {
        return List.of(nics);
    }

    /** The NIC with id {@code id}, or null. */
    public Nic nic(int id) {
        for (Nic n : nics) {
            if (n.id() == id) {
                return n;
            }
        }
        return null;
    }

    /** The first loopback NIC, or null. */
    public Nic loopbackNic() {
        for (Nic n : nics) {
            if (n.isLoopback()) {
                return n;
            }
        }
        return null;
    }

    /** The NIC that has {@code address} assigned, or null. */
    public Nic nicWithAddress(IpAddress address) {
        for (Nic n : nics) {
            if (n.hasAddress(address)) {
                return n;
            }
        }
        return null;
    }

    /** True if {@code address} is assigned to one of this stack's NICs, or is in 127/8 with a loopback NIC. */
    public boolean isLocalAddress(IpAddress address) {
        if (nicWithAddress(address) != null) {
            return true;
        }
        if (!address.isLoopback()) {
            return false;
        }
        Nic lo = loopbackNic();
        return lo != null && lo.hasSubnetContaining(address);
    }

    /** Adds a route; a default route is {@link RouteEntry#defaultVia}. */
    public void addRoute(RouteEntry route) {
        routes.add(route);
    }

    public RouteTable routes() {
        return routes;
    }

    /**
     * Finds the route from {@code local} (null or unspecified: the stack chooses, RFC 1122
     * §3.3.4.3) to {@code remote}, leaving through NIC {@code nicId} (0: any). Traffic to the
     * stack's own addresses goes through the loopback NIC when there is one, as on Linux.
     *
     * @throws NoRouteToHostException "No route to host" when no route or source address fits
     */
    public Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException {
        InternetProtocol network = networkProtocols.internetProtocolFor(remote);
        if (network == null) {
            throw new NoRouteToHostException("No route to host: no network protocol for " + remote);
        }
        boolean localSpecified = local != null && !local.isUnspecified();
        if (localSpecified && local.length() != remote.length()) {
            // A socket bound to an address of one family cannot send to the other (Linux: ENETUNREACH).
            throw new NoRouteToHostException("Network is unreachable");
        }
        if (remote.isUnspecified()) {
            // Connecting to the wildcard address reaches the local host (as on Linux and the JDK).
            remote = localSpecified ? local : remote.isV4() ? IpAddress.IPV4_LOOPBACK : IpAddress.IPV6_LOOPBACK;
        }
        Nic lo = loopbackNic();
        if (remote.isMulticast() || remote.equals(IpAddress.IPV4_BROADCAST)) {
            // The limited broadcast too leaves by one NIC, to every host on its link, never via a gateway.
            return multicastRoute(network, nicId, localSpecified ? local : null, remote);
        }
        if (lo != null && isLocalAddress(remote) && (nicId == 0 || nicId == lo.id())) {
            IpAddress source = localSpecified ? local : remote;
            return new StackRoute(network, lo, source, remote, remote, ttl);
        }
        RouteEntry entry = routes.lookup(remote, nicId);
        if (entry == null) {
            throw new NoRouteToHostException("No route to host");
        }
        Nic nic = nic(entry.nicId());
        if (nic == null || !nic.isEnabled()) {
            throw new NoRouteToHostException("No route to host");
        }
        IpAddress nextHop = entry.gateway() != null ? entry.gateway() : remote;
        // IPv4 sends from the subnet of its gateway; IPv6 from an address of the remote's scope,
        // since its gateway is usually link-local (RFC 6724 §5, rule 2).
        IpAddress source = localSpecified ? local : nic.sourceAddressFor(remote.isV6() ? remote : nextHop);
        if (source == null) {
            throw new NoRouteToHostException("No route to host: NIC " + nic.name() + " has no address of "
                    + remote + "'s family");
        }
        return new StackRoute(network, nic, source, remote, nextHop, ttl);
    }

    /**
     * A multicast group (or the limited broadcast) is reached on NIC {@code nicId}
     * (IP_MULTICAST_IF) if given, else on the NIC a route for the group or the default route
     * names, else, on a stack without such a route, on the loopback NIC: its own sockets are then
     * the only members there are.
     */
    private Route multicastRoute(InternetProtocol network, int nicId, IpAddress local, IpAddress group)
            throws NoRouteToHostException {
        Nic nic = nicId != 0 ? nic(nicId) : null;
        if (nic == null) {
            RouteEntry entry = routes.lookup(group, 0);
            nic = entry != null ? nic(entry.nicId()) : loopbackNic();
        }
        if (nic == null || !nic.isEnabled()) {
            throw new NoRouteToHostException("No route to host: no NIC for multicast group " + group);
        }
        IpAddress source = local != null ? local : nic.sourceAddressFor(group);
        if (source == null) {
            throw new NoRouteToHostException("No route to host: NIC " + nic.name() + " has no address of "
                    + group + "'s family");
        }
        return new StackRoute(network, nic, source, group, group, ttl);
    }

    public Clock clock() {
        return clock;
    }

    public TransportDemuxer demuxer() {
        return demuxer;
    }

    public PortManager ports() {
        return ports;
    }

    /** Link, ARP, IPv4, IPv6, ICMP, NDP and UDP counters. TCP keeps its own in its protocol object. */
    public Counters<StackCounter> stats() {
        return stats;
    }

    /** The registered network protocol that is a {@code type} (say {@code Ipv4Protocol.class}), or null. */
    public <T extends NetworkProtocol> T network(Class<T> type) {
        return networkProtocols.ofType(type);
    }

    /** The table a NIC dispatches received frames through. */
    NetworkProtocolTable networkProtocols() {
        return networkProtocols;
    }

    /** The transport protocol with IP protocol number {@code number}, or null. */
    public TransportProtocol transport(int number) {
        return transports.get(number);
    }

    /**
     * The fault rules every NIC applies to the frames it sends and receives; empty (no faults)
     * until rules are added, which may happen at any time.
     */
    public FaultRules faults() {
        return faults;
    }

    /** Default TTL for packets this stack originates. */
    public int ttl() {
        return ttl;
    }

    /**
     * The processor thread (or the builder's processor executor) for flows hashing to
     * {@code flowHash}; null when the stack has none and runs each connection to completion.
     */
    public Executor processor(int flowHash) {
        return processors.length == 0 ? null : processors[Math.floorMod(flowHash, processors.length)];
    }

    /** Processor threads (or 1 for a builder's processor executor); 0 when running to completion. */
    public int processorCount() {
        return processors.length;
    }

    /**
     * A new executor for one connection whose flow hashes to {@code flowHash}: its
     * {@link SerialExecutor backlog}, run by whichever thread has work for it, or by the flow's
     * processor when the stack has processors. A task that throws is counted as a task failure.
     */
    public SerialExecutor connectionExecutor(int flowHash) {
        return new SerialExecutor(processor(flowHash), taskFailure);
    }

    /**
     * A stack thread (processor, timer, link reader or delivery), or any thread running a
     * connection's task, hit an unexpected Throwable, an
     * {@link OutOfMemoryError} or a bug, and dropped the task or frame it was on; the thread goes
     * on. Counted as {@link StackCounter#TASK_FAILURES}; only the first is logged, so a failure
     * that repeats with every packet cannot flood the log. Never throws, even with the heap full.
     */
    void taskFailed(Throwable cause) {
        try {
            stats.increment(StackCounter.TASK_FAILURES);
        } catch (Throwable noHeapForACounterCell) {
            // LongAdder may allocate under contention; the task is dropped all the same
        }
        if (taskFailureLogged.compareAndSet(false, true)) {
            try {
                LOG.log(Level.ERROR, "jnetstack: " + Thread.currentThread().getName() + " dropped its task after an"
                        + " unexpected " + cause + " and goes on; further failures are only counted"
                        + " (StackCounter.TASK_FAILURES)", cause);
            } catch (Throwable logFailed) {
                taskFailureLogged.set(false); // e.g. no heap to format the message: try again next time
            }
        }
    }

    /** A NIC's link ended a batch of frames: the transports send what they held for it. */
    void linkBatchEnded() {
        for (TransportProtocol t : transports.values()) {
            t.linkBatchEnded();
        }
    }

    /** NIC {@code nicId} can carry no more: every transport fails the endpoints whose routes use it with {@code cause}. */
    void nicFailed(int nicId, IOException cause) {
        for (TransportProtocol t : transports.values()) {
            t.nicFailed(nicId, cause);
        }
    }

    /**
     * A snapshot of every transport socket (connections and listeners) of every registered
     * transport protocol that keeps connections; each consistent in itself (see
     * {@link TransportProtocol#connections()}). For operators' views such as ss; not to be called
     * from a stack thread.
     */
    public List<ConnectionSnapshot> connections() {
        List<ConnectionSnapshot> all = new ArrayList<>();
        for (TransportProtocol t : transports.values()) {
            all.addAll(t.connections());
        }
        return all;
    }

    /**
     * Publishes the stack's counters as JMX MBeans named
     * {@code io.jnetstack:type=Stats,stack=NAME,layer=network} and {@code ...,layer=PROTOCOL} for
     * each transport that keeps its own counters (tcp), and its sockets as
     * {@code io.jnetstack:type=Connections,stack=NAME} ({@link ConnectionsMBean}), and its fault rules
     * as {@code io.jnetstack:type=Faults,stack=NAME} ({@link FaultRulesMBean}). NAME is quoted
     * as {@link ObjectName#quote} does. Unregistered by {@link #close()}.
     */
    public synchronized void registerMBeans(String stackName) {
        String stack = "stack=" + ObjectName.quote(stackName);
        String prefix = "io.jnetstack:type=Stats," + stack + ",layer=";
        registerMBean(prefix + "network", new StatsMBean("link, ARP, IPv4, IPv6, ICMP, NDP and UDP counters", stats::byName));
        for (TransportProtocol t : transports.values()) {
            if (!t.statistics().isEmpty()) {
                String layer = t.getClass().getSimpleName().replace("Protocol", "").toLowerCase(Locale.ROOT);
                registerMBean(prefix + layer, new StatsMBean(layer + " counters", t::statistics));
            }
        }
        registerMBean("io.jnetstack:type=Connections," + stack, new ConnectionsMBean(this::connections));
        registerMBean("io.jnetstack:type=Faults," + stack, new StandardMBean(faults, FaultRulesMBean.class, false));
    }

    private void registerMBean(String name, DynamicMBean bean) {
        ReadOnlyMBean.register(name, bean);
        mbeanNames.add(name);
    }

    /** Closes every transport endpoint, NIC and link, and stops the stack's threads. */
    @Override
    public void close() {
        for (String name : mbeanNames) {
            ReadOnlyMBean.unregister(name);
        }
        mbeanNames.clear();
        for (TransportProtocol t : transports.values()) {
            t.close();
        }
        // The transports queued each connection's abort on its processor; shutdown() lets those run
        // (RSTs out through the NICs, endpoints and ports released, waiters woken) where
        // shutdownNow() would drop them.
        for (ProcessorThread p : processorThreads) {
            p.shutdown();
        }
        awaitProcessors();
        for (Nic n : nics) {
            removeNic(n);
        }
        for (ProcessorThread p : processorThreads) {
            p.stop();
        }
        if (ownsClock) {
            ((SystemClock) clock).shutdown();
        }
    }

    private void awaitProcessors() {
        long deadline = System.nanoTime() + PROCESSOR_DRAIN_LIMIT.toNanos();
        try {
            for (ProcessorThread p : processorThreads) {
                p.awaitTermination(Math.max(0, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close anyway, without waiting
        }
    }

    /** Builds a {@link Stack}. */
    public static final class Builder {
        private Clock clock;
        private int processors = RUN_TO_COMPLETION;
        private Executor processorExecutor;
        private final List<TransportProtocol> transports = new ArrayList<>();
        private final Map<Integer, NetworkProtocol> networks = new LinkedHashMap<>();
        private PortManager portManager;
        private int ttl = DEFAULT_TTL;
        private LinkAddressCache.Config neighborConfig = LinkAddressCache.Config.DEFAULT;

        private Builder() {
        }

        /** The clock for all timers; default: a {@link SystemClock} owned by the stack. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Spreads connections over {@code n} processor threads by flow hash: all of a connection's
         * work, inbound segments, application wake-ups and timers, runs on its processor. Without
         * this (the default) there are none: whichever thread has work for a connection (the
         * application's, a link's, the timer's) runs it, through the connection's backlog.
         */
        public Builder processors(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("processors must be at least 1, got " + n);
            }
            this.processors = n;
            return this;
        }

        /** Runs all processor work inline on the calling thread (deterministic tests). */
        public Builder sameThreadProcessors() {
            return processorExecutor(Runnable::run);
        }

        /**
         * Runs all processor work on {@code executor}, as one processor (tests: a queue the test
         * drains, to replay the interleavings that processor threads allow, deterministically).
         */
        public Builder processorExecutor(Executor executor) {
            this.processorExecutor = executor;
            return this;
        }

        /**
         * Registers network protocols (ARP, IPv4), each under its EtherType, replacing any registered
         * earlier under the same EtherType. A stack has only the network protocols registered here.
         */
        public Builder network(NetworkProtocol... protocols) {
            for (NetworkProtocol p : protocols) {
                networks.put(p.etherType(), p);
            }
            return this;
        }

        /** Registers a transport protocol (UDP, TCP). */
        public Builder transport(TransportProtocol protocol) {
            transports.add(protocol);
            return this;
        }

        public Builder portManager(PortManager portManager) {
            this.portManager = portManager;
            return this;
        }

        /** TTL of originated IPv4 packets, 1..255. */
        public Builder ttl(int ttl) {
            if (ttl < 1 || ttl > 255) {
                throw new IllegalArgumentException("ttl must be in 1..255, got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        public Builder neighborConfig(LinkAddressCache.Config config) {
            this.neighborConfig = config;
            return this;
        }

        public Stack build() {
            return new Stack(this);
        }
    }
}
