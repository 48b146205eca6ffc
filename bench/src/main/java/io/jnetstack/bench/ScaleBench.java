package io.jnetstack.bench;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.DeliveryMode;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.spi.JnetstackSelectorProvider;
import io.jnetstack.stack.PortManager;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.transport.tcp.TcpConfig;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.tcp.TcpStats;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many connections one stack holds, how fast it sets them up, and what an idle one costs:
 * issue 14's "Scale" goal. Both ends of every connection live in one jnetstack stack, over
 * 127.0.0.1 on an inline loopback (as the NIO provider's embedded stack), driven through
 * {@link TcpEndpoint} directly (no NIO layer).
 *
 * <pre>
 * java -Xmx12g -cp bench/target/benchmarks.jar io.jnetstack.bench.ScaleBench --conns 2000000
 * </pre>
 *
 * <p>It listens on {@code --ports} ports from {@code --first-port}, opens {@code --conns}
 * connections spread over them from {@code --threads} threads, accepting as it goes, and holds
 * them all established at once. Reported: the set-up rate (connections/s, from the first connect
 * to the last end established), the heap per idle connection end (heap used after a full GC with
 * every connection established, minus the same before the first, over 2·conns), and errors
 * (connects refused, ends not established). Then it closes every end and waits for the stack to
 * give back every endpoint registration and port reservation (TIME-WAIT lasts
 * {@code --time-wait} seconds here), reporting what it still holds at the deadline as leaks.
 * {@code --hold S} keeps every connection established S seconds before closing, for a look with
 * {@code jcmd PID GC.class_histogram}.
 * A watchdog halts the JVM after {@code --max-seconds}.
 */
public final class ScaleBench {
    private static final String PROGRAM = "ScaleBench";
    private static final IpAddress LOOPBACK = IpAddress.IPV4_LOOPBACK;
    private static final int EPHEMERAL_PORTS = PortManager.DEFAULT_LAST_EPHEMERAL - PortManager.DEFAULT_FIRST_EPHEMERAL + 1;
    /**
     * With ports chosen automatically, each listening port takes at most this share of the
     * ephemeral range's tuples: 51 ports for 1,000,000 connections, as the issue measured.
     */
    private static final double TUPLE_SHARE = 0.7;
    /** How often the teardown check looks at the stack's tables. */
    private static final long TEARDOWN_POLL_MILLIS = 100;
    /** Past the deadline, time for the run to report before the watchdog halts it. */
    private static final double WATCHDOG_GRACE_SECONDS = 30;

    private ScaleBench() {
    }

    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("label", "jnetstack-scale");
        d.put("conns", "20000");
        d.put("ports", "0");
        d.put("first-port", "10000");
        d.put("threads", "1");
        d.put("backlog", "4096");
        d.put("time-wait", "1");
        d.put("hold", "0");
        d.put("api", "stack");
        d.put("max-seconds", "600");
        return d;
    }

    /** The run's shape, checked before anything starts. */
    record Settings(String api, int connections, int ports, int firstPort, int threads, int backlog,
                    Duration timeWait, double holdSeconds, double maxSeconds) {
        static Settings from(Options o) {
            String api = o.string("api");
            if (!api.equals("stack") && !api.equals("nio")) {
                throw new IllegalArgumentException(PROGRAM + ": --api wants stack or nio, got '" + api + "'");
            }
            int connections = o.intValue("conns");
            if (connections < 1) {
                throw new IllegalArgumentException(PROGRAM + ": --conns must be at least 1, got " + connections);
            }
            int ports = o.intValue("ports");
            if (ports < 0) {
                throw new IllegalArgumentException(PROGRAM + ": --ports must be 0 (enough for --conns) or more, got " + ports);
            }
            if (ports == 0) {
                ports = portsFor(connections);
            }
            int firstPort = o.intValue("first-port");
            if (firstPort < 1 || firstPort + ports - 1 >= PortManager.DEFAULT_FIRST_EPHEMERAL) {
                throw new IllegalArgumentException(PROGRAM + ": --first-port " + firstPort + " with " + ports
                        + " ports must stay in 1-" + (PortManager.DEFAULT_FIRST_EPHEMERAL - 1)
                        + ", below the ephemeral range");
            }
            if ((long) ports * EPHEMERAL_PORTS < connections) {
                throw new IllegalArgumentException(PROGRAM + ": " + ports + " ports give only " + (long) ports * EPHEMERAL_PORTS
                        + " distinct 4-tuples from 127.0.0.1, fewer than --conns " + connections);
            }
            int threads = o.intValue("threads");
            if (threads < 1) {
                throw new IllegalArgumentException(PROGRAM + ": --threads must be at least 1, got " + threads);
            }
            int backlog = o.intValue("backlog");
            if (backlog < 1) {
                throw new IllegalArgumentException(PROGRAM + ": --backlog must be at least 1, got " + backlog);
            }
            double timeWait = o.doubleValue("time-wait");
            double holdSeconds = o.doubleValue("hold");
            double maxSeconds = o.doubleValue("max-seconds");
            if (timeWait < 0 || holdSeconds < 0 || maxSeconds <= 0) {
                throw new IllegalArgumentException(PROGRAM + ": --time-wait and --hold must be at least 0, --max-seconds above 0");
            }
            return new Settings(api, connections, ports, firstPort, threads, backlog,
                    Duration.ofNanos((long) (timeWait * 1e9)), holdSeconds, maxSeconds);
        }

        /** Listening ports enough that none takes more than {@link #TUPLE_SHARE} of its ephemeral tuples. */
        static int portsFor(int connections) {
            return (int) Math.ceil(connections / (TUPLE_SHARE * EPHEMERAL_PORTS));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit(PROGRAM, defaults(), args, Settings::from);
        Settings settings = Settings.from(options);
        // The run's own waits end at the deadline; the watchdog, a little later, only if something hangs.
        Watchdog.start(PROGRAM, settings.maxSeconds() + WATCHDOG_GRACE_SECONDS);
        long deadlineNanos = System.nanoTime() + (long) (settings.maxSeconds() * 1e9);
        int status = run(settings, options.string("label"), deadlineNanos);
        // Stack threads may outlive their close; the run is over.
        System.exit(status);
    }

    private static int run(Settings settings, String label, long deadlineNanos) throws Exception {
        TcpProtocol tcp = new TcpProtocol(TcpConfig.builder().timeWait(settings.timeWait()).build());
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp).build()) {
            // Inline, as the NIO provider's embedded loopback: a segment runs through to its receiver on the sender's thread.
            stack.createNic("lo", new LoopbackLink(LoopbackLink.DEFAULT_MTU, DeliveryMode.inline()))
                    .addAddress(new IpSubnet(LOOPBACK, 8));
            Ends<?> ends = settings.api().equals("nio") ? new ChannelEnds(stack) : new EndpointEnds(tcp);
            return measure(new Run<>(settings, ends, deadlineNanos), stack, tcp, label, deadlineNanos);
        }
    }

    private static int measure(Run<?> run, Stack stack, TcpProtocol tcp, String label, long deadlineNanos)
            throws Exception {
        Settings settings = run.settings;
        run.listen();
        Baseline before = Baseline.of(stack);
        long heapBefore = usedHeapAfterGc();
        long setupNanos = run.connectAll();
        long heapEstablished = usedHeapAfterGc();
        int errors = run.errors();
        if (settings.holdSeconds() > 0) {
            System.err.println(PROGRAM + ": all established; holding " + settings.holdSeconds() + " s (jcmd "
                    + ProcessHandle.current().pid() + " GC.class_histogram)");
            Thread.sleep((long) (settings.holdSeconds() * 1000));
        }
        ResultLine line = ResultLine.of(label)
                .with("api", settings.api())
                .with("conns", settings.connections())
                .with("ports", settings.ports())
                .with("threads", settings.threads())
                .with("established", run.established())
                .with("errors", errors)
                .with("setup_per_s", settings.connections() / (setupNanos / 1e9), 0)
                .with("setup_s", setupNanos / 1e9, 2)
                .with("heap_b_per_idle_end", (heapEstablished - heapBefore) / (2.0 * settings.connections()), 0);
        long closeStart = System.nanoTime();
        run.closeAll();
        Baseline after = Baseline.awaitReturnTo(stack, before, deadlineNanos);
        boolean leaked = !after.equals(before);
        if (leaked) {
            System.err.println(PROGRAM + ": ends not closed by the deadline, by state: " + run.statesOfUnclosedEnds());
        }
        line = line.with("teardown_s", (System.nanoTime() - closeStart) / 1e9, 2)
                .with("leaked_endpoints", after.endpoints() - before.endpoints())
                .with("leaked_ports", after.portReservations() - before.portReservations())
                .with("leaked_tcp_memory_b", after.tcpMemory() - before.tcpMemory())
                // Nothing here should reset, overflow a listener or fail a task; any count says why a run went wrong.
                .with("resets_sent", tcp.stats().get(TcpStats.Counter.RESETS_SENT))
                .with("listen_drops", tcp.stats().get(TcpStats.Counter.LISTEN_DROPS))
                .with("task_failures", stack.stats().get(StackCounter.TASK_FAILURES));
        System.out.println(line);
        run.closeListeners();
        return errors == 0 && !leaked ? 0 : 1;
    }

    /** Heap in use once a full collection has run (twice: finalizable and weakly held objects go in the second). */
    static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What a stack holds for its connections, compared before the first and after the last. */
    record Baseline(int endpoints, int portReservations, long tcpMemory) {
        static Baseline of(Stack stack) {
            TcpProtocol tcp = (TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER);
            return new Baseline(stack.demuxer().size(), stack.ports().reservationCount(), tcp.memory().used());
        }

        /** The stack's holdings once they equal {@code before}, or as they are at the deadline. */
        static Baseline awaitReturnTo(Stack stack, Baseline before, long deadlineNanos) throws InterruptedException {
            Baseline now = of(stack);
            while (!now.equals(before) && System.nanoTime() < deadlineNanos) {
                Thread.sleep(TEARDOWN_POLL_MILLIS);
                now = of(stack);
            }
            return now;
        }
    }

    /**
     * How a run opens, accepts, checks and closes connection ends: {@link EndpointEnds} on the
     * stack's endpoints, {@link ChannelEnds} through the NIO provider's channels.
     */
    private interface Ends<E> {
        E[] newArray(int length);

        /** A listener on 127.0.0.1:{@code port}, watched by {@link #awaitAcceptable}. */
        E listen(int port, int backlog) throws IOException;

        /** A new end connecting to 127.0.0.1:{@code port}, perhaps not established yet. */
        E connect(int port) throws IOException;

        /** A connection waiting on {@code listener}, or null. */
        E accept(E listener) throws IOException;

        /** Waits up to {@code nanos} for some listener to have a connection waiting. */
        void awaitAcceptable(long nanos) throws IOException, InterruptedException;

        boolean isEstablished(E end);

        /** What the end is now, for a run's diagnosis. */
        String describe(E end);

        int localPort(E end);

        int remotePort(E end);

        void close(E end);
    }

    /** The stack's own endpoints: no NIO layer. */
    private static final class EndpointEnds implements Ends<TcpEndpoint> {
        private final TcpProtocol tcp;
        /** Released whenever a listener has a connection waiting. */
        private final Semaphore acceptable = new Semaphore(0);

        EndpointEnds(TcpProtocol tcp) {
            this.tcp = tcp;
        }

        @Override
        public TcpEndpoint[] newArray(int length) {
            return new TcpEndpoint[length];
        }

        @Override
        public TcpEndpoint listen(int port, int backlog) throws IOException {
            TcpEndpoint l = tcp.newEndpoint();
            l.setReuseAddress(true);
            l.bind(LOOPBACK, port);
            l.listen(backlog);
            l.waiterQueue().register(new WaiterEntry(Events.IN, e -> acceptable.release()));
            return l;
        }

        @Override
        public TcpEndpoint connect(int port) throws IOException {
            TcpEndpoint client = tcp.newEndpoint();
            try {
                client.connect(LOOPBACK, port);
            } catch (IOException e) {
                client.close();
                throw e;
            }
            return client;
        }

        @Override
        public TcpEndpoint accept(TcpEndpoint listener) {
            return listener.accept();
        }

        @Override
        public void awaitAcceptable(long nanos) throws InterruptedException {
            acceptable.tryAcquire(nanos, TimeUnit.NANOSECONDS);
            acceptable.drainPermits();
        }

        @Override
        public boolean isEstablished(TcpEndpoint end) {
            return end.state() == TcpState.ESTABLISHED;
        }

        @Override
        public String describe(TcpEndpoint end) {
            return end.state().toString();
        }

        @Override
        public int localPort(TcpEndpoint end) {
            return end.localPort();
        }

        @Override
        public int remotePort(TcpEndpoint end) {
            return end.remotePort();
        }

        @Override
        public void close(TcpEndpoint end) {
            end.close();
        }
    }

    /** Non-blocking channels of a {@link JnetstackSelectorProvider} on the same stack, a selector watching the listeners. */
    private static final class ChannelEnds implements Ends<NetworkChannel> {
        private final JnetstackSelectorProvider provider;
        private final Selector acceptable;

        ChannelEnds(Stack stack) throws IOException {
            provider = new JnetstackSelectorProvider(stack);
            acceptable = provider.openSelector();
        }

        @Override
        public NetworkChannel[] newArray(int length) {
            return new NetworkChannel[length];
        }

        @Override
        public NetworkChannel listen(int port, int backlog) throws IOException {
            ServerSocketChannel l = provider.openServerSocketChannel();
            l.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            l.bind(new InetSocketAddress(LOOPBACK.toInetAddress(), port), backlog);
            l.configureBlocking(false);
            l.register(acceptable, SelectionKey.OP_ACCEPT);
            return l;
        }

        @Override
        public NetworkChannel connect(int port) throws IOException {
            SocketChannel client = provider.openSocketChannel();
            try {
                client.configureBlocking(false);
                client.connect(new InetSocketAddress(LOOPBACK.toInetAddress(), port));
            } catch (IOException e) {
                client.close();
                throw e;
            }
            return client;
        }

        @Override
        public NetworkChannel accept(NetworkChannel listener) throws IOException {
            return ((ServerSocketChannel) listener).accept();
        }

        @Override
        public void awaitAcceptable(long nanos) throws IOException {
            acceptable.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            acceptable.selectedKeys().clear();
        }

        @Override
        public boolean isEstablished(NetworkChannel end) {
            SocketChannel channel = (SocketChannel) end;
            try {
                return channel.isConnected() || channel.finishConnect();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String describe(NetworkChannel end) {
            return end.isOpen() ? "open" : "closed";
        }

        @Override
        public int localPort(NetworkChannel end) {
            return port(((SocketChannel) end).socket().getLocalPort());
        }

        @Override
        public int remotePort(NetworkChannel end) {
            return port(((SocketChannel) end).socket().getPort());
        }

        private static int port(int port) {
            return Math.max(port, 0);
        }

        @Override
        public void close(NetworkChannel end) {
            try {
                end.close();
            } catch (IOException e) {
                System.err.println(PROGRAM + ": close: " + e);
            }
        }
    }

    /** The listeners and both ends of every connection. */
    private static final class Run<E> {
        private final Settings settings;
        private final Ends<E> ends;
        private final long deadlineNanos;
        private final E[] listeners;
        private final E[] clients;
        private final E[] servers;
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicLong connectErrors = new AtomicLong();

        Run(Settings settings, Ends<E> ends, long deadlineNanos) {
            this.settings = settings;
            this.ends = ends;
            this.deadlineNanos = deadlineNanos;
            // Made before the baseline, so the arrays are not counted as the connections' heap.
            listeners = ends.newArray(settings.ports());
            clients = ends.newArray(settings.connections());
            servers = ends.newArray(settings.connections());
        }

        void listen() throws IOException {
            for (int i = 0; i < listeners.length; i++) {
                listeners[i] = ends.listen(settings.firstPort() + i, settings.backlog());
            }
        }

        /** Opens every connection and accepts its other end; returns the nanoseconds it took. */
        long connectAll() throws InterruptedException, IOException {
            long start = System.nanoTime();
            Thread[] workers = new Thread[settings.threads()];
            for (int t = 0; t < workers.length; t++) {
                int first = t;
                workers[t] = new Thread(() -> connectEvery(first, workers.length), PROGRAM + "-connect-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            }
            awaitAccepted();
            return System.nanoTime() - start;
        }

        /** Connections first, first + step, ...: each connect is followed by accepting what its listener has. */
        private void connectEvery(int first, int step) {
            for (int i = first; i < clients.length && System.nanoTime() < deadlineNanos; i += step) {
                E listener = listeners[i % listeners.length];
                try {
                    clients[i] = ends.connect(settings.firstPort() + i % listeners.length);
                } catch (IOException e) {
                    connectErrors.incrementAndGet();
                }
                try {
                    acceptFrom(listener);
                } catch (IOException e) {
                    System.err.println(PROGRAM + ": accept: " + e);
                }
            }
        }

        private void acceptFrom(E listener) throws IOException {
            E server;
            while ((server = ends.accept(listener)) != null) {
                servers[accepted.getAndIncrement()] = server;
            }
        }

        /** Accepts until every connect made has its server end, or the deadline. */
        private void awaitAccepted() throws InterruptedException, IOException {
            long expected = clients.length - connectErrors.get();
            while (accepted.get() < expected) {
                for (E l : listeners) {
                    acceptFrom(l);
                }
                long left = deadlineNanos - System.nanoTime();
                if (accepted.get() >= expected || left <= 0) {
                    return;
                }
                ends.awaitAcceptable(left);
            }
        }

        int established() {
            int n = 0;
            for (E c : clients) {
                if (c != null && ends.isEstablished(c)) {
                    n++;
                }
            }
            for (int i = 0; i < accepted.get(); i++) {
                if (ends.isEstablished(servers[i])) {
                    n++;
                }
            }
            return n;
        }

        Map<String, Integer> statesOfUnclosedEnds() {
            Map<String, Integer> states = new java.util.TreeMap<>();
            for (E c : clients) {
                if (c != null) {
                    states.merge(ends.describe(c), 1, Integer::sum);
                }
            }
            for (int i = 0; i < accepted.get(); i++) {
                states.merge(ends.describe(servers[i]), 1, Integer::sum);
            }
            return states;
        }

        /** Ends that are not established, counting an end never made (a failed connect, or never accepted) as one. */
        int errors() {
            return 2 * settings.connections() - established();
        }

        /**
         * Closes every connection, the client's end and then the server's, so the clients go
         * through TIME-WAIT. Pairwise: a client whose peer closed much later would have given up
         * in FIN-WAIT-2 first (its limit is {@code --time-wait} too), and the peer's FIN would be
         * answered with a reset.
         */
        void closeAll() {
            // Every address is 127.0.0.1: the two ports name a connection.
            Map<Integer, E> serverByPorts = new java.util.HashMap<>(2 * accepted.get());
            for (int i = 0; i < accepted.get(); i++) {
                serverByPorts.put(ports(ends.remotePort(servers[i]), ends.localPort(servers[i])), servers[i]);
            }
            for (E c : clients) {
                if (c != null) {
                    int key = ports(ends.localPort(c), ends.remotePort(c));
                    ends.close(c);
                    E peer = serverByPorts.remove(key);
                    if (peer != null) {
                        ends.close(peer);
                    }
                }
            }
            serverByPorts.values().forEach(ends::close);
        }

        private static int ports(int clientPort, int serverPort) {
            return clientPort << 16 | serverPort;
        }

        void closeListeners() {
            for (E l : listeners) {
                ends.close(l);
            }
        }
    }
}
