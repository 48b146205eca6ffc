package io.jnetstack.compat.contract;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The socket adaptors (SocketChannel.socket(), ServerSocketChannel.socket()): streams, timeouts, addresses. */
public final class SocketAdaptorContracts {
    private SocketAdaptorContracts() {
    }

    @Contract
    public static void theStreamsExchangeBytes() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            OutputStream out = pair.client().socket().getOutputStream();
            out.write("stream".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = pair.accepted().socket().getInputStream();
            Check.equal("stream", new String(in.readNBytes(6), StandardCharsets.UTF_8), "bytes read");
        }
    }

    @Contract
    public static void aReadTimesOutAndTheSocketStaysUsable() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket socket = pair.client().socket();
            socket.setSoTimeout(100);
            Check.equal(100, socket.getSoTimeout(), "timeout");
            Check.thrown(SocketTimeoutException.class, () -> socket.getInputStream().read());
            Check.isTrue(!socket.isClosed(), "a timeout does not close the socket");
            Loopback.writeText(pair.accepted(), "late");
            Check.equal((int) 'l', socket.getInputStream().read(), "a later read gets the data");
        }
    }

    @Contract
    public static void anAcceptTimesOut() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            ServerSocket socket = server.socket();
            socket.setSoTimeout(100);
            Check.thrown(SocketTimeoutException.class, socket::accept);
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); Socket accepted = socket.accept()) {
                Check.equal(client.getLocalAddress(), accepted.getRemoteSocketAddress(), "accepted after the timeout");
            }
        }
    }

    @Contract
    public static void connectWithATimeoutConnects() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            client.socket().connect(server.getLocalAddress(), 5000);
            Check.isTrue(client.isConnected(), "connected");
            Check.isTrue(client.socket().isConnected(), "the adaptor says connected");
        }
    }

    @Contract
    public static void theSocketReportsAddressesAndPorts() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket socket = pair.client().socket();
            InetSocketAddress server = (InetSocketAddress) pair.server().getLocalAddress();
            InetSocketAddress local = (InetSocketAddress) pair.client().getLocalAddress();
            Check.equal(server.getAddress(), socket.getInetAddress(), "remote address");
            Check.equal(server.getPort(), socket.getPort(), "remote port");
            Check.equal(local.getPort(), socket.getLocalPort(), "local port");
            Check.equal(local.getAddress(), socket.getLocalAddress(), "local address");
            Check.equal(server, socket.getRemoteSocketAddress(), "remote socket address");
            Check.isTrue(socket.isBound() && socket.isConnected() && !socket.isClosed(), "bound, connected, open");
        }
    }

    @Contract
    public static void theServerSocketReportsItsAddress() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            ServerSocket socket = server.socket();
            InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
            Check.equal(local.getPort(), socket.getLocalPort(), "port");
            Check.equal(local, socket.getLocalSocketAddress(), "address");
            Check.isTrue(socket.isBound(), "bound");
        }
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            Check.equal(-1, unbound.socket().getLocalPort(), "port of an unbound server");
            Check.isTrue(!unbound.socket().isBound(), "not bound");
        }
    }

    @Contract
    public static void theAdaptorOfANonBlockingChannelRefusesStreams() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().configureBlocking(false);
            Check.thrown(IllegalBlockingModeException.class, () -> pair.client().socket().getInputStream().read());
        }
    }

    @Contract
    public static void closingTheSocketClosesTheChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().socket().close();
            Check.isTrue(!pair.client().isOpen(), "channel closed");
            Check.isTrue(pair.client().socket().isClosed(), "socket closed");
            Check.equal(-1, pair.accepted().read(java.nio.ByteBuffer.allocate(1)), "peer sees the end");
        }
    }

    @Contract
    public static void theSocketCarriesOptions() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket socket = pair.client().socket();
            socket.setTcpNoDelay(true);
            Check.isTrue(socket.getTcpNoDelay(), "TCP_NODELAY");
            socket.setKeepAlive(true);
            Check.isTrue(socket.getKeepAlive(), "SO_KEEPALIVE");
            socket.setSoLinger(true, 5);
            Check.equal(5, socket.getSoLinger(), "SO_LINGER");
            socket.setSoLinger(false, 0);
            Check.equal(-1, socket.getSoLinger(), "SO_LINGER off");
        }
    }

    @Contract
    public static void aBlockedStreamReadEndsWithTheDataThatArrives() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().socket().setSoTimeout(10_000);
            Blocked<Integer> read = Blocked.start(() -> pair.client().socket().getInputStream().read());
            Loopback.writeText(pair.accepted(), "A");
            Check.equal((int) 'A', read.result(), "byte read");
        }
    }
}
