package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.link.SniffingLink;
import io.jnetstack.network.ArpProtocol;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.Ipv4Reassembler;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.RouteEntry;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.TapLink;
import io.jnetstack.transport.tcp.TcpConfig;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * A stack built the way a {@link JnetstackConfig} describes, with the pcap writers it feeds
 * (closing the stack flushes them; {@link #close} also closes them).
 */
record AssembledStack(Stack stack, List<PcapWriter> captures) implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AssembledStack.class.getName());
    static final IpSubnet LOOPBACK_SUBNET = IpSubnet.parse("127.0.0.1/8");

    /**
     * Builds the stack: a loopback NIC answering on 127.0.0.1/8, on the local host name's
     * addresses and, with no TAP, on the host's interface addresses; and the TAP NIC with its
     * address and default route when one is configured.
     *
     * @throws IOException if the TAP device or the capture file cannot be opened; the message
     *                     names the property
     */
    static AssembledStack build(JnetstackConfig config) throws IOException {
        return build(config, TapLink::open);
    }

    /** How the TAP NIC's link is opened: {@link TapLink#open}, or a test's already open device. */
    @FunctionalInterface
    interface TapOpener {
        LinkEndpoint open(TapLink.Config config) throws IOException;
    }

    static AssembledStack build(JnetstackConfig config, TapOpener tapOpener) throws IOException {
        TcpConfig.Builder tcp = TcpConfig.builder();
        config.memory().tcp().ifPresent(tcp::memoryLimit);
        Ipv4Protocol ipv4 = config.memory().reassembly()
                .map(limit -> new Ipv4Protocol(Ipv4Reassembler.DEFAULT_TIMEOUT_NANOS, limit))
                .orElseGet(Ipv4Protocol::new);
        Stack.Builder builder = Stack.builder().network(new ArpProtocol(), ipv4)
                .transport(new UdpProtocol()).transport(new TcpProtocol(tcp.build()));
        config.processors().ifPresent(builder::processors);
        Stack stack = builder.build();
        config.faults().forEach(stack.faults()::add);
        List<PcapWriter> captures = new ArrayList<>();
        try {
            LinkEndpoint loopback = new LoopbackLink();
            if (config.pcap().isPresent()) {
                Path file = config.pcap().get();
                // A pcap file holds one link type: the TAP's Ethernet frames get the named file.
                Path loopbackFile = config.tap().isPresent() ? siblingForLoopback(file) : file;
                loopback = sniff(loopback, loopbackFile, stack, captures);
            }
            Nic lo = stack.createNic("lo", loopback);
            lo.addAddress(LOOPBACK_SUBNET);
            List<IpAddress> own = localHostAddresses();
            if (config.tap().isEmpty()) {
                // Embedded, jnetstack stands in for the whole host; on a TAP, the host's interfaces
                // are the kernel's, reached over the device.
                own.addAll(interfaceAddresses());
            }
            for (IpAddress a : own) {
                if (!stack.isLocalAddress(a)) {
                    lo.addAddress(new IpSubnet(a, 32));
                }
            }
            if (config.tap().isPresent()) {
                addTapNic(stack, config, tapOpener, captures);
            }
            return new AssembledStack(stack, List.copyOf(captures));
        } catch (IOException | RuntimeException e) {
            new AssembledStack(stack, captures).close();
            throw e;
        }
    }

    private static void addTapNic(Stack stack, JnetstackConfig config, TapOpener tapOpener, List<PcapWriter> captures)
            throws IOException {
        JnetstackConfig.TapSettings tap = config.tap().orElseThrow();
        LinkEndpoint link;
        try {
            link = tapOpener.open(tap.link());
        } catch (IOException e) {
            throw new IOException(JnetstackConfig.TAP + "=" + tap.link().deviceName() + ": cannot open the TAP device: "
                    + e.getMessage(), e);
        }
        if (config.pcap().isPresent()) {
            link = sniff(link, config.pcap().get(), stack, captures);
        }
        Nic nic = stack.createNic(tap.link().deviceName(), link);
        nic.addAddress(tap.address()); // with its on-link route
        tap.gateway().ifPresent(gw -> stack.addRoute(RouteEntry.defaultVia(gw, nic.id())));
    }

    private static LinkEndpoint sniff(LinkEndpoint link, Path file, Stack stack, List<PcapWriter> captures)
            throws IOException {
        PcapWriter writer;
        try {
            writer = PcapWriter.create(file, link.linkType(), stack.clock());
        } catch (IOException e) {
            throw new IOException(JnetstackConfig.PCAP + "=" + file + ": cannot create the capture file: " + e, e);
        }
        captures.add(writer);
        return new SniffingLink(link, writer);
    }

    /** {@code capture.pcap} → {@code capture-lo.pcap}: where loopback frames go when the TAP's fill the named file. */
    static Path siblingForLoopback(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String sibling = dot > 0 ? name.substring(0, dot) + "-lo" + name.substring(dot) : name + "-lo";
        return file.resolveSibling(sibling);
    }

    /** The IPv4 addresses the local host name resolves to, as the kernel answers on a host's own addresses. */
    private static List<IpAddress> localHostAddresses() {
        List<IpAddress> result = new ArrayList<>();
        try {
            InetAddress host = InetAddress.getLocalHost();
            for (InetAddress a : InetAddress.getAllByName(host.getHostName())) {
                IpAddress ip = IpAddress.of(a);
                if (ip.isV4() && !result.contains(ip)) {
                    result.add(ip);
                }
            }
        } catch (UnknownHostException e) {
            LOG.log(System.Logger.Level.DEBUG, "the local host name does not resolve; loopback answers on 127.0.0.0/8 only", e);
        }
        return result;
    }

    /**
     * The IPv4 addresses of the host's interfaces that are up, as NetworkInterface lists them: a
     * program may bind to any of them, as the kernel lets it.
     */
    private static List<IpAddress> interfaceAddresses() {
        List<IpAddress> result = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        if (a instanceof Inet4Address) {
                            result.add(IpAddress.of(a));
                        }
                    }
                }
            }
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "the host's interfaces cannot be listed; loopback does not answer on them", e);
        }
        return result;
    }

    /**
     * Publishes the stack's MBeans ({@link Stack#registerMBeans}) under the stack name
     * {@code BASE-PID-N}: the JVM's process id keeps JVMs apart where one JMX console watches
     * several, and N, the smallest number no registered jnetstack MBean uses yet, keeps this
     * JVM's stacks apart (also stacks of other class loaders, which share the platform server).
     *
     * @return the stack name chosen
     */
    String registerMBeans(String base) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String prefix = base + "-" + ProcessHandle.current().pid() + "-";
        synchronized (AssembledStack.class) {
            for (int n = 1; ; n++) {
                String name = prefix + n;
                ObjectName sameStack;
                try {
                    sameStack = new ObjectName("io.jnetstack:stack=" + ObjectName.quote(name) + ",*");
                } catch (MalformedObjectNameException e) {
                    throw new IllegalArgumentException("not a usable stack name: " + name, e);
                }
                if (server.queryNames(sameStack, null).isEmpty()) {
                    stack.registerMBeans(name);
                    return name;
                }
            }
        }
    }

    /** Writes out what the captures have buffered; errors are only logged since this runs at exit. */
    void flushCaptures() {
        for (PcapWriter w : captures) {
            try {
                w.flush();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot flush the pcap capture", e);
            }
        }
    }

    @Override
    public void close() {
        stack.close();
        for (PcapWriter w : captures) {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
