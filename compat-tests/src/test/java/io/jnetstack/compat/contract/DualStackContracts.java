package io.jnetstack.compat.contract;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * IPv6 and dual-stack channels: channels opened without a family, or with INET6, are dual-stack
 * (bound to the wildcard they report {@code ::} and take IPv4 as well as IPv6, reporting IPv4 peers
 * as IPv4 addresses); INET channels refuse every IPv6 address; {@code ::1} carries TCP and UDP.
 */
public final class DualStackContracts {
    private static final InetAddress IPV6_LOOPBACK = address("::1");
    private static final InetAddress IPV4_LOOPBACK = address("127.0.0.1");
    private static final InetAddress IPV6_ANY = address("::");
    private static final InetAddress IPV4_ANY = address("0.0.0.0");

    private DualStackContracts() {
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int port(SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    @Contract
    public static void channelsBoundToTheWildcardReportTheIpv6Wildcard() throws Exception {
        try (SocketChannel socket = SocketChannel.open(); ServerSocketChannel server = ServerSocketChannel.open();
             DatagramChannel datagram = DatagramChannel.open();
             SocketChannel inet6 = SocketChannel.open(StandardProtocolFamily.INET6)) {
            socket.bind(new InetSocketAddress(0));
            server.bind(null);
            datagram.bind(new InetSocketAddress(IPV4_ANY, 0));
            inet6.bind(null);
            for (SocketAddress local : new SocketAddress[] {socket.getLocalAddress(), server.getLocalAddress(),
                    datagram.getLocalAddress(), inet6.getLocalAddress()}) {
                Check.equal(IPV6_ANY, ((InetSocketAddress) local).getAddress(), "wildcard of " + local);
            }
        }
    }

    @Contract
    public static void inetChannelsBoundToTheWildcardReportTheIpv4Wildcard() throws Exception {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.INET);
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
             DatagramChannel datagram = DatagramChannel.open(StandardProtocolFamily.INET)) {
            socket.bind(new InetSocketAddress(0));
            server.bind(null);
            datagram.bind(null);
            for (SocketAddress local : new SocketAddress[] {socket.getLocalAddress(), server.getLocalAddress(),
                    datagram.getLocalAddress()}) {
                Check.equal(IPV4_ANY, ((InetSocketAddress) local).getAddress(), "wildcard of " + local);
            }
        }
    }

    @Contract
    public static void inetChannelsRefuseIpv6Addresses() throws Exception {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.INET);
             DatagramChannel datagram = DatagramChannel.open(StandardProtocolFamily.INET);
             ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            Check.thrown(UnsupportedAddressTypeException.class, () -> socket.bind(new InetSocketAddress(IPV6_LOOPBACK, 0)));
            Check.thrown(UnsupportedAddressTypeException.class, () -> server.bind(new InetSocketAddress(IPV6_ANY, 0)));
            Check.thrown(UnsupportedAddressTypeException.class, () -> datagram.bind(new InetSocketAddress(IPV6_LOOPBACK, 0)));
            Check.thrown(UnsupportedAddressTypeException.class,
                    () -> datagram.send(Loopback.text("x"), new InetSocketAddress(IPV6_LOOPBACK, 9)));
            Check.thrown(UnsupportedAddressTypeException.class,
                    () -> socket.connect(new InetSocketAddress(IPV6_ANY, 9)));
        }
    }

    @Contract
    public static void aWildcardServerAcceptsIpv4AndIpv6ClientsAndReportsEachInItsFamily() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(null);
            int port = port(server.getLocalAddress());
            try (SocketChannel v4 = SocketChannel.open(new InetSocketAddress(IPV4_LOOPBACK, port));
                 SocketChannel accepted4 = server.accept();
                 SocketChannel v6 = SocketChannel.open(new InetSocketAddress(IPV6_LOOPBACK, port));
                 SocketChannel accepted6 = server.accept()) {
                Check.equal(new InetSocketAddress(IPV4_LOOPBACK, port), accepted4.getLocalAddress(), "IPv4 accepted's local");
                Check.equal(v4.getLocalAddress(), accepted4.getRemoteAddress(), "IPv4 accepted's remote");
                Check.equal(IPV4_LOOPBACK, ((InetSocketAddress) v4.getLocalAddress()).getAddress(), "IPv4 client's local");
                Check.equal(new InetSocketAddress(IPV6_LOOPBACK, port), accepted6.getLocalAddress(), "IPv6 accepted's local");
                Check.equal(v6.getLocalAddress(), accepted6.getRemoteAddress(), "IPv6 accepted's remote");
                Check.equal(IPV6_LOOPBACK, ((InetSocketAddress) v6.getLocalAddress()).getAddress(), "IPv6 client's local");
            }
        }
    }

    @Contract
    public static void aServerBoundToIpv4sWildcardIsDualStackToo() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(IPV4_ANY, 0));
            int port = port(server.getLocalAddress());
            try (SocketChannel v6 = SocketChannel.open(new InetSocketAddress(IPV6_LOOPBACK, port));
                 SocketChannel accepted = server.accept()) {
                Check.equal(v6.getLocalAddress(), accepted.getRemoteAddress(), "accepted the IPv6 client");
            }
        }
    }

    @Contract
    public static void aServerOnIpv6LoopbackRefusesIpv4Clients() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
            int port = port(server.getLocalAddress());
            Check.thrown(ConnectException.class, () -> SocketChannel.open(new InetSocketAddress(IPV4_LOOPBACK, port)).close());
        }
    }

    @Contract
    public static void theIpv6WildcardHoldsItsPortForIpv4() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(null);
            Check.thrown(BindException.class, () -> second.bind(new InetSocketAddress(IPV4_ANY, port(server.getLocalAddress()))));
        }
    }

    @Contract
    public static void theIpv6WildcardCannotTakeAPortAnIpv4SocketHolds() throws Exception {
        try (ServerSocketChannel v4 = ServerSocketChannel.open(); ServerSocketChannel dual = ServerSocketChannel.open();
             DatagramChannel v4Datagram = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel dualDatagram = DatagramChannel.open()) {
            v4.bind(new InetSocketAddress(IPV4_LOOPBACK, 0));
            Check.thrown(BindException.class, () -> dual.bind(new InetSocketAddress(IPV6_ANY, port(v4.getLocalAddress()))));
            v4Datagram.bind(new InetSocketAddress(IPV4_LOOPBACK, 0));
            Check.thrown(BindException.class,
                    () -> dualDatagram.bind(new InetSocketAddress(IPV6_ANY, port(v4Datagram.getLocalAddress()))));
        }
    }

    @Contract
    public static void anInet6ChannelConnectsToAnIpv4Address() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(IPV4_LOOPBACK, 0));
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET6)) {
                client.connect(server.getLocalAddress());
                try (SocketChannel accepted = server.accept()) {
                    Check.equal(server.getLocalAddress(), client.getRemoteAddress(), "client's remote");
                    Check.equal(IPV4_LOOPBACK, ((InetSocketAddress) client.getLocalAddress()).getAddress(), "client's local");
                }
            }
        }
    }

    @Contract
    public static void connectingToTheIpv6WildcardReachesIpv6Loopback() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(null);
            int port = port(server.getLocalAddress());
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(IPV6_ANY, port));
                 SocketChannel accepted = server.accept()) {
                Check.equal(new InetSocketAddress(IPV6_LOOPBACK, port), client.getRemoteAddress(), "client's remote");
                Check.equal(client.getLocalAddress(), accepted.getRemoteAddress(), "accepted the client");
            }
        }
    }

    @Contract
    public static void tcpCarriesDataBothWaysOverIpv6Loopback() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                String request = "x".repeat(100_000);
                Thread writer = new Thread(() -> {
                    try {
                        Loopback.writeText(client, request);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.start();
                Check.equal(request, Loopback.readText(accepted, request.length()), "bytes over ::1");
                writer.join();
                Loopback.writeText(accepted, "done");
                Check.equal("done", Loopback.readText(client, 4), "the reply over ::1");
            }
        }
    }

    @Contract
    public static void datagramsCrossIpv6LoopbackWithTheSendersIpv6Address() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
            sender.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
            sender.send(Loopback.text("over ::1"), receiver.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(64);
            SocketAddress from = receiver.receive(buffer);
            Check.equal(sender.getLocalAddress(), from, "sender");
            Check.equal("over ::1", new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.UTF_8), "data");
        }
    }

    @Contract
    public static void aDualStackDatagramChannelReceivesIpv4AndIpv6Senders() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open();
             DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel v6 = DatagramChannel.open()) {
            receiver.bind(null);
            int port = port(receiver.getLocalAddress());
            v4.bind(new InetSocketAddress(IPV4_LOOPBACK, 0));
            v6.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
            v4.send(Loopback.text("4"), new InetSocketAddress(IPV4_LOOPBACK, port));
            Check.equal(v4.getLocalAddress(), receiver.receive(ByteBuffer.allocate(8)), "the IPv4 sender");
            v6.send(Loopback.text("6"), new InetSocketAddress(IPV6_LOOPBACK, port));
            Check.equal(v6.getLocalAddress(), receiver.receive(ByteBuffer.allocate(8)), "the IPv6 sender");
        }
    }

    @Contract
    public static void aDualStackDatagramChannelConnectedToIpv4ReportsIpv4Addresses() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel channel = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress(IPV4_LOOPBACK, 0));
            channel.connect(peer.getLocalAddress());
            Check.equal(peer.getLocalAddress(), channel.getRemoteAddress(), "remote");
            Check.equal(IPV4_LOOPBACK, ((InetSocketAddress) channel.getLocalAddress()).getAddress(), "local");
        }
    }
}
