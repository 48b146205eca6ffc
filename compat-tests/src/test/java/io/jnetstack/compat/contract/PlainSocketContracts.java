package io.jnetstack.compat.contract;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;

/**
 * Plain java.net sockets made with their constructors ({@code new Socket()},
 * {@code new ServerSocket()}, {@code new DatagramSocket()}), which programs use without any
 * channel: on jnetstack they run on its stack once its java.net factories are installed (the
 * suite starts the jnetstack JVM with the -all jar as its -javaagent).
 */
public final class PlainSocketContracts {
    private PlainSocketContracts() {
    }

    /** A ServerSocket on an ephemeral port of 127.0.0.1. */
    static ServerSocket listen() throws Exception {
        return new ServerSocket(0, 50, Loopback.ADDRESS);
    }

    /** A connected pair of plain sockets and the server socket that accepted it. */
    record Pair(ServerSocket server, Socket client, Socket accepted) implements AutoCloseable {
        static Pair open() throws Exception {
            ServerSocket server = listen();
            Socket client = new Socket(Loopback.ADDRESS, server.getLocalPort());
            return new Pair(server, client, server.accept());
        }

        @Override
        public void close() throws Exception {
            client.close();
            accepted.close();
            server.close();
        }
    }

    @Contract
    public static void socketsExchangeBytesBothWaysUntilThePeerCloses() throws Exception {
        try (Pair pair = Pair.open()) {
            OutputStream out = pair.client().getOutputStream();
            out.write("plain".getBytes(StandardCharsets.UTF_8));
            InputStream serverIn = pair.accepted().getInputStream();
            Check.equal("plain", new String(serverIn.readNBytes(5), StandardCharsets.UTF_8), "bytes read at the server");
            pair.accepted().getOutputStream().write('!');
            Check.equal((int) '!', pair.client().getInputStream().read(), "byte read at the client");
            pair.client().close();
            Check.equal(-1, serverIn.read(), "end of stream after the peer closed");
        }
    }

    @Contract
    public static void aPlainSocketReportsAddressesAndHasNoChannel() throws Exception {
        try (Pair pair = Pair.open()) {
            Socket socket = pair.client();
            Check.equal(Loopback.ADDRESS, socket.getInetAddress(), "remote address");
            Check.equal(pair.server().getLocalPort(), socket.getPort(), "remote port");
            Check.equal(Loopback.ADDRESS, socket.getLocalAddress(), "local address");
            Check.equal(pair.accepted().getPort(), socket.getLocalPort(), "the accepted socket's peer is the client's port");
            Check.equal(new InetSocketAddress(Loopback.ADDRESS, pair.server().getLocalPort()), socket.getRemoteSocketAddress(),
                    "remote socket address");
            Check.isTrue(socket.getChannel() == null && pair.accepted().getChannel() == null, "no channel behind a plain socket");
            Check.equal("Socket[addr=" + Loopback.ADDRESS + ",port=" + pair.server().getLocalPort() + ",localport="
                    + socket.getLocalPort() + "]", socket.toString(), "toString");
        }
    }

    @Contract
    public static void aPlainReadTimesOutAndTheSocketStaysUsable() throws Exception {
        try (Pair pair = Pair.open()) {
            Socket socket = pair.client();
            socket.setSoTimeout(100);
            Check.equal(100, socket.getSoTimeout(), "SO_TIMEOUT");
            Check.thrown(SocketTimeoutException.class, "Read timed out", () -> socket.getInputStream().read());
            Check.isTrue(!socket.isClosed(), "a timeout does not close the socket");
            pair.accepted().getOutputStream().write('x');
            Check.equal((int) 'x', socket.getInputStream().read(), "a later read gets the data");
        }
    }

    @Contract
    public static void aPlainAcceptTimesOut() throws Exception {
        try (ServerSocket server = listen()) {
            server.setSoTimeout(100);
            Check.thrown(SocketTimeoutException.class, "Accept timed out", server::accept);
            try (Socket client = new Socket(Loopback.ADDRESS, server.getLocalPort()); Socket accepted = server.accept()) {
                Check.equal(client.getLocalPort(), accepted.getPort(), "accepted after the timeout");
            }
        }
    }

    @Contract
    public static void aPlainConnectToAClosedPortIsRefused() throws Exception {
        InetSocketAddress nobody = Loopback.closedPort();
        try (Socket socket = new Socket()) {
            Check.thrown(ConnectException.class, "Connection refused", () -> socket.connect(nobody));
        }
    }

    @Contract
    public static void aPlainServerSocketRefusesATakenPortAndASecondBind() throws Exception {
        try (ServerSocket first = listen(); ServerSocket second = new ServerSocket()) {
            Check.isTrue(!second.isBound(), "not bound before bind");
            Check.equal(-1, second.getLocalPort(), "no port before bind");
            Check.thrown(BindException.class, "Address already in use",
                    () -> second.bind(new InetSocketAddress(Loopback.ADDRESS, first.getLocalPort())));
            Check.thrown(SocketException.class, "Already bound", () -> first.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
            Check.equal(Loopback.ADDRESS, first.getInetAddress(), "bound address");
            Check.isTrue(first.getReuseAddress(), "SO_REUSEADDR, on for a server socket");
        }
    }

    @Contract
    public static void aPlainSocketCarriesOptionsWithTheirDefaults() throws Exception {
        try (Pair pair = Pair.open()) {
            Socket socket = pair.client();
            Check.isTrue(!socket.getTcpNoDelay(), "TCP_NODELAY off by default");
            Check.isTrue(!socket.getKeepAlive(), "SO_KEEPALIVE off by default");
            Check.equal(-1, socket.getSoLinger(), "SO_LINGER off by default");
            Check.equal(0, socket.getSoTimeout(), "no SO_TIMEOUT by default");
            Check.isTrue(!socket.getOOBInline(), "SO_OOBINLINE off by default");
            socket.setTcpNoDelay(true);
            Check.isTrue(socket.getTcpNoDelay(), "TCP_NODELAY set");
            socket.setSoLinger(true, 7);
            Check.equal(7, socket.getSoLinger(), "SO_LINGER set");
            socket.setSoLinger(false, 0);
            Check.equal(-1, socket.getSoLinger(), "SO_LINGER off again");
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            Check.isTrue(socket.getKeepAlive(), "SO_KEEPALIVE through setOption");
            Check.isTrue(socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY is offered");
            Check.thrown(IllegalArgumentException.class, () -> socket.setReceiveBufferSize(0));
        }
    }

    @Contract
    public static void aShutDownPlainOutputEndsThePeersStream() throws Exception {
        try (Pair pair = Pair.open()) {
            pair.client().shutdownOutput();
            Check.isTrue(pair.client().isOutputShutdown(), "output shut down");
            Check.equal(-1, pair.accepted().getInputStream().read(), "the peer reads the end");
            Check.thrown(SocketException.class, "Socket output is shutdown", pair.client()::getOutputStream);
            pair.accepted().getOutputStream().write('y');
            Check.equal((int) 'y', pair.client().getInputStream().read(), "the other direction still flows");
        }
    }

    @Contract
    public static void aClosedPlainSocketRefusesItsStreams() throws Exception {
        try (Pair pair = Pair.open()) {
            pair.client().close();
            Check.isTrue(pair.client().isClosed(), "closed");
            Check.thrown(SocketException.class, "Socket is closed", pair.client()::getInputStream);
            Check.thrown(SocketException.class, "Socket is closed", () -> pair.client().setSoTimeout(1));
        }
    }

    @Contract
    public static void closingThePlainStreamClosesTheSocket() throws Exception {
        try (Pair pair = Pair.open()) {
            pair.client().getInputStream().close();
            Check.isTrue(pair.client().isClosed(), "the socket is closed with its stream");
            Check.equal(-1, pair.accepted().getInputStream().read(), "the peer reads the end");
        }
    }

    @Contract
    public static void availableCountsThePlainBytesWaiting() throws Exception {
        try (Pair pair = Pair.open()) {
            pair.client().getOutputStream().write(new byte[4]);
            InputStream in = pair.accepted().getInputStream();
            Check.equal(1, in.readNBytes(1).length, "bytes read");
            Check.equal(3, in.available(), "bytes still waiting");
        }
    }

    @Contract
    public static void datagramSocketsExchangeDatagrams() throws Exception {
        try (DatagramSocket a = new DatagramSocket(0, Loopback.ADDRESS); DatagramSocket b = new DatagramSocket(0, Loopback.ADDRESS)) {
            Check.isTrue(a.isBound() && a.getLocalPort() > 0, "bound by the constructor");
            Check.isTrue(a.getChannel() == null, "no channel behind a plain datagram socket");
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            a.send(new DatagramPacket(hello, hello.length, Loopback.ADDRESS, b.getLocalPort()));
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            b.setSoTimeout(10_000);
            b.receive(p);
            Check.equal("hello", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), "payload");
            Check.equal(new InetSocketAddress(Loopback.ADDRESS, a.getLocalPort()), p.getSocketAddress(), "sender");
        }
    }

    @Contract
    public static void aPlainDatagramReceiveTimesOut() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, Loopback.ADDRESS)) {
            socket.setSoTimeout(100);
            Check.thrown(SocketTimeoutException.class, "Receive timed out",
                    () -> socket.receive(new DatagramPacket(new byte[1], 1)));
            Check.isTrue(!socket.isClosed(), "a timeout does not close the socket");
        }
    }

    @Contract
    public static void aConnectedPlainDatagramSocketSendsToItsPeerOnly() throws Exception {
        try (DatagramSocket a = new DatagramSocket(0, Loopback.ADDRESS); DatagramSocket b = new DatagramSocket(0, Loopback.ADDRESS);
             DatagramSocket other = new DatagramSocket(0, Loopback.ADDRESS)) {
            a.connect(Loopback.ADDRESS, b.getLocalPort());
            Check.isTrue(a.isConnected(), "connected");
            Check.equal(b.getLocalPort(), a.getPort(), "peer port");
            // Only the type: the JDK's own DatagramSocket says "Connected and packet address differ", and any
            // DatagramSocket built on a DatagramSocketImpl (a factory's, so jnetstack's) says it in lower case.
            Check.thrown(IllegalArgumentException.class, () -> a.send(new DatagramPacket(new byte[1], 1, Loopback.ADDRESS, other.getLocalPort())));
            a.send(new DatagramPacket(new byte[] {7}, 1));
            DatagramPacket p = new DatagramPacket(new byte[1], 1);
            b.setSoTimeout(10_000);
            b.receive(p);
            Check.equal((byte) 7, p.getData()[0], "the packet without an address went to the peer");
            other.send(new DatagramPacket(new byte[] {1}, 1, Loopback.ADDRESS, a.getLocalPort()));
            b.send(new DatagramPacket(new byte[] {2}, 1, Loopback.ADDRESS, a.getLocalPort()));
            a.setSoTimeout(10_000);
            a.receive(p);
            Check.equal((byte) 2, p.getData()[0], "only the peer's datagram arrives");
        }
    }

    @Contract
    public static void aMulticastSocketExchangesUnicastDatagrams() throws Exception {
        try (MulticastSocket a = new MulticastSocket(0); DatagramSocket b = new DatagramSocket(0, Loopback.ADDRESS)) {
            Check.isTrue(a.getReuseAddress(), "a multicast socket sets SO_REUSEADDR");
            b.send(new DatagramPacket(new byte[] {3}, 1, Loopback.ADDRESS, a.getLocalPort()));
            DatagramPacket p = new DatagramPacket(new byte[1], 1);
            a.setSoTimeout(10_000);
            a.receive(p);
            Check.equal((byte) 3, p.getData()[0], "received");
        }
    }
}
