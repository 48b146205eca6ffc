package io.jnetstack.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers' three workloads (bulk, rr, cc) and wire protocol in plain {@code java.nio}: no
 * jnetstack class is referenced, so the same program measures whichever {@link SelectorProvider}
 * the JVM is started with — the JDK's (over the kernel) or jnetstack's (with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.jnetstack.spi.JnetstackSelectorProvider}
 * and the provider's {@code -all} jar on the class path).
 *
 * <pre>
 * java -cp bench.jar io.jnetstack.bench.NioBench [loopback|server|client] [--option value ...]
 *   loopback  server thread and client in this JVM over --host (default)
 *   server    serve --bind:--port (and --port + 1) for --serve-seconds
 *   client    run the workloads against --host:--port
 * </pre>
 *
 * <p>Prints one {@code LABEL key=value ...} line per workload, as the peers do, then one line
 * with the process's peak resident set ({@code rss_peak_mib}). Every loop stops at a count or a
 * time bound, whichever comes first, and a watchdog halts the JVM after {@code --max-seconds}.
 * The defaults are the peers' full sizes.
 */
public final class NioBench {
    private static final String PROGRAM = "NioBench";
    /** How long a client waits for a separately started server to listen. */
    private static final long SERVER_WAIT_NANOS = 20_000_000_000L;

    static final Map<String, String> DEFAULTS = defaults();

    private NioBench() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("label", "nio-loopback");
        Workloads.addDefaults(d);
        d.put("io", "selector");
        d.put("host", "127.0.0.1");
        d.put("bind", "127.0.0.1");
        d.put("port", "5201");
        d.put("serve-seconds", "100");
        d.put("max-seconds", "120");
        return d;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit(PROGRAM, DEFAULTS, args, o -> {
            mode(o);
            Workloads.checkTests(o);
        });
        Watchdog.start(PROGRAM, options.doubleValue("max-seconds"));
        String mode = mode(options);
        System.err.println(PROGRAM + ": " + mode + " provider=" + SelectorProvider.provider().getClass().getName()
                + " java=" + System.getProperty("java.version"));
        switch (mode) {
            case "loopback" -> loopback(options);
            case "server" -> serve(options);
            default -> runClient(options, false);
        }
        // The JDK's and jnetstack's stacks may keep non-daemon threads; the run is over.
        System.exit(0);
    }

    /** The mode word, {@code loopback} when absent. */
    private static String mode(Options options) {
        List<String> words = options.positional();
        String mode = words.isEmpty() ? "loopback" : words.get(0);
        if (words.size() > 1 || !List.of("loopback", "server", "client").contains(mode)) {
            throw new IllegalArgumentException(PROGRAM + ": one mode, loopback, server or client; got " + words);
        }
        return mode;
    }

    private static InetSocketAddress serverAddress(Options options, String hostOption) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(options.string(hostOption)), options.intValue("port"));
    }

    private static void loopback(Options options) throws Exception {
        try (NioServer server = new NioServer(serverAddress(options, "bind"), options.doubleValue("max-seconds"))) {
            Thread serving = new Thread(server, "nio-bench-server");
            serving.setDaemon(true);
            serving.start();
            try {
                runClient(options, true);
            } finally {
                server.stop();
                serving.join(1000);
            }
        }
    }

    private static void serve(Options options) throws Exception {
        InetSocketAddress address = serverAddress(options, "bind");
        try (NioServer server = new NioServer(address, options.doubleValue("serve-seconds"))) {
            System.err.println(PROGRAM + ": serving on " + address + " and port " + (address.getPort() + 1));
            server.run();
        }
    }

    private static void runClient(Options options, boolean serverIsUp) throws Exception {
        InetSocketAddress server = serverAddress(options, "host");
        if (!serverIsUp) {
            waitForServer(server);
        }
        Workloads.Settings settings = Workloads.Settings.from(options);
        try (NioConnector connector = new NioConnector(server, NioConnector.Style.parse(options.string("io")))) {
            ResultLine prefix = ResultLine.of(options.string("label"))
                    .with("provider", SelectorProvider.provider().getClass().getSimpleName())
                    .with("io", connector.style().label());
            Workloads workloads = new Workloads(connector, settings, prefix, System.out::println);
            for (String workload : options.list("tests")) {
                workloads.run(workload);
            }
            workloads.reportPeakMemory();
        }
    }

    /** Polls (bounded) until a separately started server accepts a connection. */
    private static void waitForServer(InetSocketAddress server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SERVER_WAIT_NANOS;
        while (true) {
            try (SocketChannel probe = SocketChannel.open(server)) {
                // An echo connection closed at once is harmless to the server.
                probe.write(ByteBuffer.wrap(new byte[] {NioServer.ECHO}));
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
