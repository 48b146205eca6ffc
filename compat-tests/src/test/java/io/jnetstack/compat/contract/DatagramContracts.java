package io.jnetstack.compat.contract;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;

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
            a.write(Loopback.text("ping"));
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
    }

    @Contract
    public static void theSocketAdaptorTimesOutAReceive() throws Exception {
        try (DatagramChannel a = bound()) {
            DatagramSocket socket = a.socket();
            socket.setSoTimeout(100);
            Check.equal(100, socket.getSoTimeout(), "timeout");
            Check.thrown(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[10], 10)));
        }
    }

    @Contract
    public static void theSocketAdaptorSendsAndReceives() throws Exception {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            byte[] data = "adaptor".getBytes(StandardCharsets.UTF_8);
            a.socket().send(new DatagramPacket(data, data.length, b.getLocalAddress()));
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            b.socket().receive(packet);
            Check.equal("adaptor", new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8), "datagram");
            Check.equal(a.getLocalAddress(), packet.getSocketAddress(), "sender");
            Check.equal(((InetSocketAddress) b.getLocalAddress()).getPort(), b.socket().getLocalPort(), "adaptor's port");
        }
    }

    @Contract
    public static void datagramOptionsHaveTheirDefaultsAndKeepWhatIsSet() throws Exception {
        try (DatagramChannel a = DatagramChannel.open()) {
            Check.equal(false, a.getOption(StandardSocketOptions.SO_BROADCAST), "SO_BROADCAST default");
            a.setOption(StandardSocketOptions.SO_BROADCAST, true);
            Check.equal(true, a.getOption(StandardSocketOptions.SO_BROADCAST), "SO_BROADCAST set");
            Check.isTrue(a.getOption(StandardSocketOptions.SO_RCVBUF) > 0, "SO_RCVBUF is positive");
            Check.isTrue(a.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR supported");
        }
    }
}
