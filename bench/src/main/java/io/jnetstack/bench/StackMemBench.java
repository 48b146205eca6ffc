package io.jnetstack.bench;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.DeliveryMode;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peers' workloads between two jnetstack stacks in one JVM, joined by a {@link PipeLink} and
 * driven through {@link io.jnetstack.transport.tcp.TcpEndpoint} directly (no NIO layer): the
 * counterpart of gVisor's {@code netstackbench -mode=mem}, with the same addresses (client
 * 198.18.0.1, server 198.18.0.2, never leaving the process) and output format.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.jnetstack.bench.StackMemBench [--mtu 1500,65535]
 *      [--delivery thread|inline] [--processors N] [--tests bulk,rr,cc] [sizes as NioBench]
 * </pre>
 *
 * <p>{@code --delivery thread} (default): each direction of the link has its own delivery thread,
 * like gVisor's {@code -link=channel} (one goroutine pumping each direction).
 * {@code --delivery inline}: a frame is delivered in the sending thread, like gVisor's
 * {@code -link=pipe} (a frame sent while that thread delivers one waits until it returns). Defaults are the peers' full sizes; every loop is bounded in count and time,
 * and a watchdog halts the JVM after {@code --max-seconds}.
 */
public final class StackMemBench {
    private static final String PROGRAM = "StackMemBench";
    private static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    private static final IpAddress SERVER = IpAddress.parse("198.18.0.2");
    private static final int PREFIX_LENGTH = 24;

    private StackMemBench() {
    }

    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("label", "jnetstack-mem");
        d.put("mtu", "1500,65535");
        d.put("delivery", "thread");
        d.put("processors", "0");
        Workloads.addDefaults(d);
        d.put("port", "5201");
        d.put("max-seconds", "240");
        return d;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit(PROGRAM, defaults(), args, o -> {
            deliveryMode(o.string("delivery"));
            Workloads.checkTests(o);
        });
        double maxSeconds = options.doubleValue("max-seconds");
        Watchdog.start(PROGRAM, maxSeconds);
        long deadlineNanos = System.nanoTime() + (long) (maxSeconds * 1e9);
        for (String mtu : options.list("mtu")) {
            runAtMtu(options, Integer.parseInt(mtu), deadlineNanos);
        }
        // Stack and link threads may outlive their close; the run is over.
        System.exit(0);
    }

    private static DeliveryMode deliveryMode(String name) {
        return switch (name) {
            case "thread" -> DeliveryMode.ownThread();
            case "inline" -> DeliveryMode.inline();
            default -> throw new IllegalArgumentException(PROGRAM + ": --delivery wants thread or inline, got '" + name + "'");
        };
    }

    private static Stack buildStack(TcpProtocol tcp, int processors) {
        Stack.Builder builder = Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp);
        if (processors > 0) {
            builder.processors(processors);
        }
        return builder.build();
    }

    private static void runAtMtu(Options options, int mtu, long deadlineNanos) throws Exception {
        int processors = options.intValue("processors");
        TcpProtocol clientTcp = new TcpProtocol();
        TcpProtocol serverTcp = new TcpProtocol();
        int port = options.intValue("port");
        try (PipeLink.Pair cable = PipeLink.pair(mtu, deliveryMode(options.string("delivery")));
                Stack client = buildStack(clientTcp, processors);
                Stack server = buildStack(serverTcp, processors)) {
            client.createNic("eth0", cable.a()).addAddress(new IpSubnet(CLIENT, PREFIX_LENGTH));
            server.createNic("eth0", cable.b()).addAddress(new IpSubnet(SERVER, PREFIX_LENGTH));
            try (StackServer serving = new StackServer(serverTcp, SERVER, port, deadlineNanos)) {
                ResultLine prefix = ResultLine.of(options.string("label"))
                        .with("link", "pipe")
                        .with("delivery", options.string("delivery"))
                        .with("mtu", mtu)
                        .with("processors", client.processorCount());
                ByteStream.Connector connector = connectPort ->
                        EndpointStream.connect(clientTcp, SERVER, connectPort ? port + 1 : port, deadlineNanos);
                Workloads workloads = new Workloads(connector, Workloads.Settings.from(options), prefix, System.out::println);
                for (String workload : options.list("tests")) {
                    workloads.run(workload);
                }
                workloads.reportPeakMemory();
            }
        }
    }
}
