package io.jnetstack.compat.contract;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
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
    public static void theStreamsExchangeBytesBothWaysUntilThePeerCloses() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket client = pair.client().socket();
            InputStream serverIn = pair.accepted().socket().getInputStream();
            OutputStream out = client.getOutputStream();
            out.write("stream".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Check.equal("stream", new String(serverIn.readNBytes(6), StandardCharsets.UTF_8), "bytes read at the server");
            pair.accepted().socket().getOutputStream().write('!');
            Check.equal((int) '!', client.getInputStream().read(), "byte read at the client");
            client.close();
            Check.equal(-1, serverIn.read(), "end of stream after the peer closed");
        }
    }

    @Contract
    public static void availableCountsTheBytesWaiting() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().socket().getOutputStream().write(new byte[3]);
            InputStream in = pair.accepted().socket().getInputStream();
            Check.equal(1, in.readNBytes(1).length, "bytes read");
            Check.equal(2, in.available(), "bytes still waiting");
        }
    }

    @Contract
    public static void aReadTimesOutAndTheSocketStaysUsable() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Socket socket = pair.client().socket();
            socket.setSoTimeout(100);
            Check.equal(100, socket.getSoTimeout(), "timeout");
            Check.thrown(SocketTimeoutException.class, "Read timed out", () -> socket.getInputStream().read());
            Check.isTrue(!socket.isClosed(), "a timeout does not close the socket");
            Loopback.writeText(pair.accepted(), "late");
            Check.equal((int) 'l', socket.getInputStream().read(), "a later read gets the data");
        }
    }

    @Contract
    public static void aServerSocketBindsAcceptsAndTimesOut() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            ServerSocket socket = server.socket();
            socket.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            Check.isTrue(socket.isBound(), "bound");
            Check.equal(Loopback.ADDRESS, socket.getInetAddress(), "bound address");
            Check.isTrue(socket.getReuseAddress(), "SO_REUSEADDR, on for a server");
            socket.setSoTimeout(100);
            Check.thrown(SocketTimeoutException.class, "Accept timed out", socket::accept);
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(Loopback.ADDRESS, socket.getLocalPort()));
                 Socket accepted = socket.accept()) {
                Check.equal(client.getLocalAddress(), accepted.getRemoteSocketAddress(), "accepted after the timeout");
            }
            socket.close();
            Check.isTrue(socket.isClosed(), "closed");
            Check.isTrue(!server.isOpen(), "closing the server socket closes the channel");
        }
    }

    @Contract
    public static void theServerSocketOfANonBlockingChannelRefusesAccept() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            server.configureBlocking(false);
            Check.thrown(IllegalBlockingModeException.class, () -> server.socket().accept());
        }
    }

    @Contract
    public static void connectingToAClosedPortIsRefusedAndClosesTheSocket() throws Exception {
        InetSocketAddress nobody = Loopback.closedPort();
        try (SocketChannel client = SocketChannel.open()) {
            Socket socket = client.socket();
            Check.thrown(ConnectException.class, "Connection refused", () -> socket.connect(nobody));
            Check.isTrue(socket.isClosed(), "a failed connect closes the socket");
        }
    }

    @Contract
    public static void anUnconnectedSocketHasNoStreams() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            Socket socket = client.socket();
            Check.isTrue(!socket.isConnected(), "not connected");
            Check.equal(0, socket.getPort(), "remote port");
            Check.equal(-1, socket.getLocalPort(), "local port");
            Check.thrown(SocketException.class, "Socket is not connected", socket::getInputStream);
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
            Check.equal(local, socket.getLocalSocketAddress(), "local socket address");
            Check.isTrue(socket.isBound() && socket.isConnected() && !socket.isClosed(), "bound, connected, open");
            Check.isTrue(socket.getChannel() == pair.client(), "the socket's channel");
            Check.isTrue(pair.client().socket() == socket, "one adaptor per channel");
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
            Check.thrown(SocketException.class, "Socket is closed", pair.client().socket()::getInputStream);
            Check.equal(-1, pair.accepted().read(java.nio.ByteBuffer.allocate(1)), "peer sees the end");
        }
    }

    @Contract
    public static void aShutDownOutputHasNoStream() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().socket().shutdownOutput();
            Check.isTrue(pair.client().socket().isOutputShutdown(), "output shut down");
            Check.thrown(SocketException.class, "Socket output is shutdown", pair.client().socket()::getOutputStream);
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
            Check.equal(-1, socket.getSoLinger(), "SO_LINGER default");
            socket.setSoLinger(true, 5);
            Check.equal(5, socket.getSoLinger(), "SO_LINGER");
            socket.setSoLinger(false, 5);
            Check.equal(-1, socket.getSoLinger(), "SO_LINGER off");
            socket.setReceiveBufferSize(32768);
            Check.isTrue(socket.getReceiveBufferSize() >= 32768, "SO_RCVBUF at least what was set");
            Check.thrown(IllegalArgumentException.class, () -> socket.setSendBufferSize(0));
            socket.close();
            Check.thrown(SocketException.class, "Socket is closed", socket::getTcpNoDelay);
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
