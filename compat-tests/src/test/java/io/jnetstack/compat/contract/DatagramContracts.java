package io.jnetstack.compat.contract;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** DatagramChannel: send/receive, connect/disconnect, blocking modes, truncation, adaptor, options. */
public final class DatagramContracts {
    private DatagramContracts() {
    }

    private static DatagramChannel bound() throws Exception {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
        return channel;
    }

    private static String text(ByteBuffer received) {
        return StandardCharsets.UTF_8.decode(received.flip()).toString();
    }

    @Contract
    public static void sendAndReceiveCarryTheSendersAddress() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            Check.equal(5, a.send(Loopback.text("hello"), b.getLocalAddress()), "bytes sent");
            ByteBuffer buffer = ByteBuffer.allocate(100);
            SocketAddress from = b.receive(buffer);
            Check.equal(a.getLocalAddress(), from, "sender");
            Check.equal("hello", text(buffer), "datagram");
        }
    }

    @Contract
    public static void connectedChannelsReadAndWrite() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            Check.isTrue(a.isConnected(), "connected");
            Check.equal(b.getLocalAddress(), a.getRemoteAddress(), "remote address");
            Check.equal(4, a.write(Loopback.text("ping")), "bytes written");
            ByteBuffer buffer = ByteBuffer.allocate(100);
            Check.equal(4, b.read(buffer), "bytes read");
            Check.equal("ping", text(buffer), "datagram");
        }
    }

    @Contract
    public static void readOnAnUnconnectedChannelThrowsNotYetConnected() throws Exception {
        try (DatagramChannel a = bound()) {
            Check.thrown(NotYetConnectedException.class, () -> a.read(ByteBuffer.allocate(10)));
            Check.thrown(NotYetConnectedException.class, () -> a.write(Loopback.text("x")));
        }
    }

    @Contract
    public static void nonBlockingReceiveReturnsNullWhenNothingArrived() throws Exception {
        try (DatagramChannel a = bound()) {
            a.configureBlocking(false);
            Check.equal(null, a.receive(ByteBuffer.allocate(10)), "receive");
        }
    }

    @Contract
    public static void aDatagramLongerThanTheBufferIsTruncated() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            a.send(Loopback.text("0123456789"), b.getLocalAddress());
            a.send(Loopback.text("next"), b.getLocalAddress());
            ByteBuffer small = ByteBuffer.allocate(4);
            b.receive(small);
            Check.equal("0123", text(small), "truncated datagram");
            ByteBuffer buffer = ByteBuffer.allocate(100);
            b.receive(buffer);
            Check.equal("next", text(buffer), "the rest of the first datagram is discarded");
        }
    }

    @Contract
    public static void anEmptyDatagramArrivesEmpty() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            Check.equal(0, a.send(ByteBuffer.allocate(0), b.getLocalAddress()), "bytes sent");
            ByteBuffer buffer = ByteBuffer.allocate(10);
            Check.equal(a.getLocalAddress(), b.receive(buffer), "sender of the empty datagram");
            Check.equal(0, buffer.position(), "bytes received");
        }
    }

    @Contract
    public static void bindingToPortZeroGivesAnEphemeralPort() throws Exception {
        try (DatagramChannel a = bound()) {
            InetSocketAddress local = (InetSocketAddress) a.getLocalAddress();
            Check.isTrue(local.getPort() > 0, "ephemeral port " + local);
            Check.equal(Loopback.ADDRESS, local.getAddress(), "bound address");
        }
    }

    @Contract
    public static void bindingABoundPortThrowsBindException() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = DatagramChannel.open()) {
            Check.thrown(BindException.class, "Address already in use", () -> b.bind(a.getLocalAddress()));
        }
    }

    @Contract
    public static void aConnectedChannelReceivesOnlyFromItsPeer() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel peer = bound(); DatagramChannel stranger = bound()) {
            a.connect(peer.getLocalAddress());
            stranger.send(Loopback.text("stranger"), a.getLocalAddress());
            peer.send(Loopback.text("peer"), a.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(100);
            a.read(buffer);
            Check.equal("peer", text(buffer), "first datagram read");
            stranger.send(Loopback.text("stranger"), a.getLocalAddress());
            peer.send(Loopback.text("again"), a.getLocalAddress());
            Check.equal(peer.getLocalAddress(), a.receive(buffer.clear()), "sender of the first datagram received");
            Check.equal("again", text(buffer), "first datagram received");
        }
    }

    @Contract
    public static void disconnectLetsAnySenderIn() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel peer = bound(); DatagramChannel other = bound()) {
            a.connect(peer.getLocalAddress());
            a.disconnect();
            Check.isTrue(!a.isConnected(), "disconnected");
            Check.equal(null, a.getRemoteAddress(), "remote address after disconnect");
            other.send(Loopback.text("other"), a.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(100);
            Check.equal(other.getLocalAddress(), a.receive(buffer), "sender");
        }
    }

    @Contract
    public static void aSelectorReportsAnArrivedDatagramAsReadable() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound(); Selector selector = Selector.open()) {
            b.configureBlocking(false);
            SelectionKey key = b.register(selector, SelectionKey.OP_READ);
            a.send(Loopback.text("x"), b.getLocalAddress());
            Check.equal(1, selector.select(5000), "keys selected");
            Check.equal(SelectionKey.OP_READ, key.readyOps(), "ready operations");
        }
    }

    @Contract
    public static void closingWakesABlockedReceiveWithAsynchronousClose() throws Exception {
        try (DatagramChannel a = bound()) {
            Blocked<SocketAddress> receive = Blocked.start(() -> a.receive(ByteBuffer.allocate(10)));
            a.close();
            receive.failure(AsynchronousCloseException.class);
        }
    }

    @Contract
    public static void aClosedChannelThrowsClosedChannel() throws Exception {
        DatagramChannel a = bound();
        a.close();
        Check.thrown(ClosedChannelException.class, () -> a.send(Loopback.text("x"), new InetSocketAddress(Loopback.ADDRESS, 9)));
        Check.thrown(ClosedChannelException.class, () -> a.receive(ByteBuffer.allocate(1)));
        Check.thrown(ClosedChannelException.class, a::getLocalAddress);
        Check.thrown(ClosedChannelException.class, a::getRemoteAddress);
        Check.thrown(ClosedChannelException.class, () -> a.getOption(StandardSocketOptions.SO_RCVBUF));
        Check.thrown(ClosedChannelException.class, () -> a.connect(new InetSocketAddress(Loopback.ADDRESS, 9)));
        Check.isTrue(!a.isConnected(), "a closed channel is not connected");
        a.disconnect(); // no exception: the JDK ignores a disconnect of a closed channel
    }

    @Contract
    public static void theSocketAdaptorTimesOutAReceive() throws Exception {
        try (DatagramChannel a = bound()) {
            DatagramSocket socket = a.socket();
            socket.setSoTimeout(100);
            Check.equal(100, socket.getSoTimeout(), "timeout");
            Check.thrown(SocketTimeoutException.class, "Receive timed out", () -> socket.receive(new DatagramPacket(new byte[10], 10)));
        }
    }

    @Contract
    public static void theSocketAdaptorSendsAndReceives() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            Check.equal(a.getLocalAddress(), a.socket().getLocalSocketAddress(), "adaptor's local address");
            byte[] data = "adaptor".getBytes(StandardCharsets.UTF_8);
            a.socket().send(new DatagramPacket(data, data.length, b.socket().getLocalSocketAddress()));
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            b.socket().receive(packet);
            Check.equal(data.length, packet.getLength(), "packet length");
            Check.equal("adaptor", new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8), "datagram");
            Check.equal(a.getLocalAddress(), packet.getSocketAddress(), "sender");
            Check.equal(((InetSocketAddress) b.getLocalAddress()).getPort(), b.socket().getLocalPort(), "adaptor's port");
        }
    }

    @Contract
    public static void datagramOptionsHaveTheirDefaultsAndKeepWhatIsSet() throws Exception {
        try (DatagramChannel a = DatagramChannel.open()) {
            for (SocketOption<?> option : List.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS)) {
                Check.isTrue(a.supportedOptions().contains(option), option + " supported");
            }
            Check.equal(false, a.getOption(StandardSocketOptions.SO_BROADCAST), "SO_BROADCAST default");
            a.setOption(StandardSocketOptions.SO_BROADCAST, true);
            Check.equal(true, a.getOption(StandardSocketOptions.SO_BROADCAST), "SO_BROADCAST set");
            Check.equal(false, a.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR default");
            Check.equal(0, a.getOption(StandardSocketOptions.IP_TOS), "IP_TOS default");
            Check.isTrue(a.getOption(StandardSocketOptions.SO_RCVBUF) > 0, "SO_RCVBUF is positive");
            a.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            Check.isTrue(a.getOption(StandardSocketOptions.SO_RCVBUF) >= 4096, "SO_RCVBUF at least what was set");
        }
    }

    @Contract
    public static void badDatagramOptionsAreRefused() throws Exception {
        try (DatagramChannel a = DatagramChannel.open()) {
            Check.thrown(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> a.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            Check.thrown(IllegalArgumentException.class, "Invalid IP_TOS value", () -> a.setOption(StandardSocketOptions.IP_TOS, 256));
            Check.thrown(IllegalArgumentException.class, "Invalid value 'null'", () -> a.setOption(StandardSocketOptions.IP_TOS, null));
            Check.thrown(UnsupportedOperationException.class, "'TCP_NODELAY' not supported",
                    () -> a.getOption(StandardSocketOptions.TCP_NODELAY));
        }
    }

    @Contract
    public static void aReceiveBindsAnUnboundChannel() throws Exception {
        try (DatagramChannel a = DatagramChannel.open()) {
            a.configureBlocking(false);
            Check.equal(null, a.getLocalAddress(), "local address before receive");
            a.receive(ByteBuffer.allocate(10));
            Check.isTrue(((InetSocketAddress) a.getLocalAddress()).getPort() > 0, "bound to a port: " + a.getLocalAddress());
        }
    }

    @Contract
    public static void aBlockingReceiveWaitsForADatagram() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            Blocked<String> received = Blocked.start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(10);
                b.receive(buffer);
                return text(buffer);
            });
            a.send(Loopback.text("late"), b.getLocalAddress());
            Check.equal("late", received.result(), "datagram");
        }
    }

    @Contract
    public static void interruptingABlockedReceiveClosesTheChannel() throws Exception {
        try (DatagramChannel a = bound()) {
            Blocked<SocketAddress> receive = Blocked.start(() -> a.receive(ByteBuffer.allocate(10)));
            receive.thread().interrupt();
            receive.failure(ClosedByInterruptException.class);
            Check.isTrue(!a.isOpen(), "the interrupted channel is closed");
        }
    }

    @Contract
    public static void aScatteringReadAndAGatheringWriteMoveOneDatagram() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            Check.equal(6L, a.write(new ByteBuffer[] {Loopback.text("abc"), Loopback.text("def")}), "bytes gathered");
            ByteBuffer first = ByteBuffer.allocate(2);
            ByteBuffer second = ByteBuffer.allocate(10);
            Check.equal(6L, b.read(new ByteBuffer[] {first, second}), "bytes scattered");
            Check.equal("ab", text(first), "first buffer");
            Check.equal("cdef", text(second), "second buffer");
        }
    }

    @Contract
    public static void aConnectedChannelRefusesASecondPeer() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound(); DatagramChannel c = bound()) {
            a.connect(b.getLocalAddress());
            Check.thrown(AlreadyConnectedException.class, () -> a.connect(b.getLocalAddress()));
            Check.thrown(AlreadyConnectedException.class, () -> a.send(Loopback.text("x"), c.getLocalAddress()));
            Check.equal(1, a.send(Loopback.text("x"), b.getLocalAddress()), "bytes sent to the peer");
        }
    }

    /** The README's known difference (0.0.0.0 where the JDK says ::) is why the address is asked only whether it is the wildcard. */
    @Contract
    public static void connectTakesTheRoutesSourceAddressAndDisconnectRestoresTheWildcard() throws Exception {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = bound()) {
            a.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
            a.connect(b.getLocalAddress());
            Check.equal(new InetSocketAddress(Loopback.ADDRESS, port), a.getLocalAddress(), "local address while connected");
            a.disconnect();
            InetSocketAddress local = (InetSocketAddress) a.getLocalAddress();
            Check.isTrue(local.getAddress().isAnyLocalAddress(), "the wildcard address again: " + local);
            Check.equal(port, local.getPort(), "the same port");
        }
    }

    @Contract
    public static void aConnectedChannelReportsAnUnreachablePeer() throws Exception {
        try (DatagramChannel a = bound(); Selector selector = Selector.open()) {
            SocketAddress gone;
            try (DatagramChannel peer = bound()) {
                gone = peer.getLocalAddress();
            }
            a.connect(gone);
            a.write(Loopback.text("anyone?"));
            a.configureBlocking(false);
            a.register(selector, SelectionKey.OP_READ);
            Check.equal(1, selector.select(10_000), "the ICMP error makes the channel readable");
            Check.thrown(PortUnreachableException.class, () -> a.read(ByteBuffer.allocate(10)));
        }
    }

    @Contract
    public static void bindErrorsAreTheJdks() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = DatagramChannel.open()) {
            Check.thrown(AlreadyBoundException.class, () -> a.bind(null));
            Check.thrown(BindException.class, "Cannot assign requested address", () -> b.bind(new InetSocketAddress("192.0.2.1", 0)));
        }
    }

    @Contract
    public static void badDestinationsAreRefused() throws Exception {
        try (DatagramChannel a = bound()) {
            Check.thrown(UnresolvedAddressException.class,
                    () -> a.send(Loopback.text("x"), InetSocketAddress.createUnresolved("nowhere.invalid", 9)));
            Check.thrown(UnsupportedAddressTypeException.class, () -> a.send(Loopback.text("x"), new SocketAddress() {
            }));
            Check.thrown(SocketException.class, "Can't send to port 0", () -> a.send(Loopback.text("x"), new InetSocketAddress(Loopback.ADDRESS, 0)));
            Check.thrown(SocketException.class, "Can't connect to port 0", () -> a.connect(new InetSocketAddress(Loopback.ADDRESS, 0)));
        }
    }

    @Contract
    public static void readyOperationsFollowTheInterestSet() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound(); Selector selector = Selector.open()) {
            b.configureBlocking(false);
            SelectionKey key = b.register(selector, SelectionKey.OP_WRITE);
            Check.equal(1, selector.selectNow(), "writable at once");
            Check.equal(SelectionKey.OP_WRITE, key.readyOps(), "ready operations before data");
            selector.selectedKeys().clear();
            key.interestOps(SelectionKey.OP_READ);
            a.send(Loopback.text("x"), b.getLocalAddress());
            Check.equal(1, selector.select(5000), "readable");
            Check.equal(SelectionKey.OP_READ, key.readyOps(), "a key not in the selected set gets a new ready set");
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            Check.equal(1, selector.selectNow(), "the selected key's ready set was updated");
            Check.equal(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.readyOps(), "a selected key's ready set grows");
        }
    }

    @Contract
    public static void theSocketAdaptorConnectsAndCloses() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            DatagramSocket socket = a.socket();
            socket.connect(b.getLocalAddress());
            Check.isTrue(socket.isConnected(), "connected");
            Check.equal(((InetSocketAddress) b.getLocalAddress()).getPort(), socket.getPort(), "remote port");
            socket.send(new DatagramPacket(new byte[] {9}, 1));
            Check.equal(a.getLocalAddress(), b.receive(ByteBuffer.allocate(1)), "sender");
            socket.close();
            Check.isTrue(socket.isClosed(), "socket closed");
            Check.isTrue(!a.isOpen(), "channel closed");
            Check.equal(-1, socket.getLocalPort(), "local port of a closed socket");
            Check.thrown(SocketException.class, "Socket is closed", socket::getSoTimeout);
        }
    }
    /** An address of a type no channel knows: the adaptor refuses it as the JDK's does, even when closed. */
    private static final class StrangeAddress extends SocketAddress {
        private static final long serialVersionUID = 1;
    }

    @Contract
    public static void theSocketAdaptorRefusesAnAddressTypeItDoesNotKnow() throws Exception {
        DatagramSocket socket = bound().socket();
        Check.thrown(UnsupportedAddressTypeException.class, () -> socket.connect(new StrangeAddress()));
        socket.close();
        Check.thrown(UnsupportedAddressTypeException.class, () -> socket.connect(new StrangeAddress()));
        Check.thrown(UnsupportedAddressTypeException.class, () -> socket.bind(new StrangeAddress()));
    }

    /** The JDK checks "already connected" before port 0, and the socket adaptor's connect on a closed socket does nothing. */
    @Contract
    public static void aConnectedChannelRefusesAnotherPeerBeforeLookingAtItsPort() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel peer = bound()) {
            a.connect(peer.getLocalAddress());
            Check.thrown(AlreadyConnectedException.class, () -> a.send(Loopback.text("x"), new InetSocketAddress(0)));
            Check.thrown(AlreadyConnectedException.class, () -> a.send(Loopback.text("x"), new InetSocketAddress(Loopback.ADDRESS, 0)));
            Check.thrown(AlreadyConnectedException.class, () -> a.connect(new InetSocketAddress(0)));
            DatagramSocket socket = a.socket();
            // DatagramSocket.connect replaces a connection, so it meets the port check; a failed one keeps the old peer.
            Check.thrown(SocketException.class, "Can't connect to port 0", () -> socket.connect(new InetSocketAddress(0)));
            Check.equal(peer.getLocalAddress(), a.getRemoteAddress(), "peer after a failed reconnect");
            Check.thrown(IllegalArgumentException.class, "Connected and packet address differ",
                    () -> socket.send(new DatagramPacket(new byte[1], 1, new InetSocketAddress(0))));
            a.close();
            Check.thrown(AsynchronousCloseException.class, () -> a.send(Loopback.text("x"), new InetSocketAddress(0)));
            ClosedChannelException closed = Check.thrown(ClosedChannelException.class, () -> a.connect(new InetSocketAddress(0)));
            Check.equal(ClosedChannelException.class, closed.getClass(), "exception of connect on a closed channel");
            socket.connect(new InetSocketAddress(0));
            socket.connect(Loopback.ADDRESS, 0);
        }
    }

    /** The JDK keeps the last sender's address object and hands it back while the sender repeats. */
    @Contract
    public static void receiveReturnsTheSameAddressObjectForARepeatedSender() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound(); DatagramChannel receiver = bound()) {
            a.send(Loopback.text("1"), receiver.getLocalAddress());
            a.send(Loopback.text("2"), receiver.getLocalAddress());
            b.send(Loopback.text("3"), receiver.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(10);
            SocketAddress first = receiver.receive(buffer);
            SocketAddress second = receiver.receive(buffer.clear());
            SocketAddress third = receiver.receive(buffer.clear());
            Check.isTrue(first == second, "the repeated sender's address is the same object: " + first + ", " + second);
            Check.equal(b.getLocalAddress(), third, "another sender's address");
            Check.isTrue(third != first, "another sender gets its own address object");
        }
    }

    /** The host's interface addresses as NetworkInterface lists them, but not link-local ones, which need a scope. */
    private static List<InetAddress> hostInterfaceAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> !a.isLinkLocalAddress()).forEach(addresses::add);
            }
        }
        return addresses;
    }

    /** A program may bind to any of the host's own addresses, and reach itself there, as on the kernel. */
    @Contract
    public static void channelsBindToEachOfTheHostsInterfaceAddresses() throws Exception {
        for (InetAddress own : hostInterfaceAddresses()) {
            // b is unbound so it may send to an IPv4 address when the suite runs over ::1.
            try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open();
                    ServerSocketChannel server = ServerSocketChannel.open()) {
                a.bind(new InetSocketAddress(own, 0));
                Check.equal(own, ((InetSocketAddress) a.getLocalAddress()).getAddress(), "datagram channel's address");
                b.send(Loopback.text("to " + own), a.getLocalAddress());
                ByteBuffer buffer = ByteBuffer.allocate(100);
                a.receive(buffer);
                Check.equal("to " + own, text(buffer), "datagram to the host's own address");
                server.bind(new InetSocketAddress(own, 0));
                try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel accepted = server.accept()) {
                    Check.equal(own, ((InetSocketAddress) accepted.getLocalAddress()).getAddress(), "accepted connection's address");
                }
            }
        }
    }
}
