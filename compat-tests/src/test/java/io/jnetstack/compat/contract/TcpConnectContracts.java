package io.jnetstack.compat.contract;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** TCP connection set-up: blocking and non-blocking connect and accept, addresses, refusals. */
public final class TcpConnectContracts {
    private TcpConnectContracts() {
    }

    /** Completes a non-blocking connect, waiting for OP_CONNECT when it did not complete at once. */
    static void finishConnecting(SocketChannel client, boolean connectedAtOnce) throws Exception {
        if (connectedAtOnce) {
            return;
        }
        Check.isTrue(client.isConnectionPending(), "connection pending");
        try (Selector selector = Selector.open()) {
            SelectionKey key = client.register(selector, SelectionKey.OP_CONNECT);
            Check.equal(1, selector.select(5000), "keys selected");
            Check.equal(SelectionKey.OP_CONNECT, key.readyOps(), "ready operations");
            key.cancel();
        }
        Check.isTrue(client.finishConnect(), "finishConnect after OP_CONNECT");
    }

    @Contract
    public static void blockingConnectAndAcceptExchangeBytes() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Loopback.writeText(pair.client(), "hello");
            Check.equal("hello", Loopback.readText(pair.accepted(), 5), "at the server");
            Loopback.writeText(pair.accepted(), "world");
            Check.equal("world", Loopback.readText(pair.client(), 5), "at the client");
        }
    }

    @Contract
    public static void bothEndsReportEachOthersAddresses() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Check.equal(pair.server().getLocalAddress(), pair.client().getRemoteAddress(), "client's remote");
            Check.equal(pair.client().getLocalAddress(), pair.accepted().getRemoteAddress(), "accepted's remote");
            Check.equal(pair.server().getLocalAddress(), pair.accepted().getLocalAddress(), "accepted's local");
            Check.isTrue(pair.client().isConnected() && pair.accepted().isConnected(), "both connected");
        }
    }

    @Contract
    public static void nonBlockingConnectFinishesAfterOpConnect() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            boolean connectedAtOnce = client.connect(server.getLocalAddress());
            Check.equal(server.getLocalAddress(), client.getRemoteAddress(), "remote address, pending or connected");
            finishConnecting(client, connectedAtOnce);
            Check.isTrue(client.isConnected() && !client.isConnectionPending(), "connected, no longer pending");
            Check.isTrue(client.finishConnect(), "finishConnect again: still connected");
            try (SocketChannel accepted = server.accept()) {
                Check.equal(client.getLocalAddress(), accepted.getRemoteAddress(), "accepted the client");
            }
        }
    }

    @Contract
    public static void nonBlockingAcceptReturnsNullWithoutAConnection() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            server.configureBlocking(false);
            Check.equal(null, server.accept(), "accepted");
        }
    }

    @Contract
    public static void anAcceptedChannelIsBlockingEvenFromANonBlockingServer() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open(server.getLocalAddress());
             Selector selector = Selector.open()) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            Check.equal(1, selector.select(5000), "acceptable");
            try (SocketChannel accepted = server.accept()) {
                Check.isTrue(accepted.isBlocking(), "accepted channel is blocking");
            }
        }
    }

    @Contract
    public static void blockingConnectToAClosedPortIsRefused() throws Exception {
        InetSocketAddress nobody = Loopback.closedPort();
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(ConnectException.class, "Connection refused", () -> client.connect(nobody));
            Check.isTrue(!client.isOpen(), "a failed blocking connect closes the channel");
        }
    }

    @Contract
    public static void nonBlockingConnectToAClosedPortIsRefusedByFinishConnect() throws Exception {
        InetSocketAddress nobody = Loopback.closedPort();
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            Check.thrown(ConnectException.class, "Connection refused", () -> finishConnecting(client, client.connect(nobody)));
            Check.isTrue(!client.isOpen(), "a failed connect closes the channel");
        }
    }

    @Contract
    public static void connectingAConnectedChannelThrowsAlreadyConnected() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Check.thrown(AlreadyConnectedException.class, () -> pair.client().connect(pair.server().getLocalAddress()));
            Check.isTrue(pair.client().isOpen(), "a state error does not close the channel");
        }
    }

    @Contract
    public static void readAndWriteBeforeConnectThrowNotYetConnected() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(NotYetConnectedException.class, () -> client.read(ByteBuffer.allocate(1)));
            Check.thrown(NotYetConnectedException.class, () -> client.write(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void finishConnectWithoutConnectThrowsNoConnectionPending() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(NoConnectionPendingException.class, client::finishConnect);
            client.configureBlocking(false);
            Check.thrown(NoConnectionPendingException.class, client::finishConnect);
        }
    }

    @Contract
    public static void connectingToAnUnresolvedAddressThrowsUnresolvedAddress() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(UnresolvedAddressException.class,
                    () -> client.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80)));
        }
    }

    @Contract
    public static void anAddressOfAnotherTypeIsRefused() throws Exception {
        SocketAddress foreign = new SocketAddress() {
        };
        try (SocketChannel client = SocketChannel.open()) {
            Check.thrown(UnsupportedAddressTypeException.class, () -> client.connect(foreign));
            Check.thrown(UnsupportedAddressTypeException.class, () -> client.bind(foreign));
        }
    }

    @Contract
    public static void aClientBindsToAnEphemeralPortOnlyOnce() throws Exception {
        try (SocketChannel client = SocketChannel.open()) {
            client.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            InetSocketAddress local = (InetSocketAddress) client.getLocalAddress();
            Check.equal(Loopback.ADDRESS, local.getAddress(), "bound address");
            Check.isTrue(local.getPort() > 0, "ephemeral port " + local);
            Check.thrown(AlreadyBoundException.class, () -> client.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
        }
    }

    @Contract
    public static void aBlockingConnectCompletesAtOnce() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            Check.isTrue(client.connect(server.getLocalAddress()), "connect returns true");
            Check.isTrue(client.isConnected() && !client.isConnectionPending(), "connected, nothing pending");
            try (SocketChannel accepted = server.accept()) {
                Check.equal(accepted.getLocalAddress(), client.getRemoteAddress(), "client's remote is the accepted local");
                Check.isTrue(accepted.isConnected(), "accepted is connected");
                Check.isTrue(accepted.isBlocking(), "a channel accepted in blocking mode is blocking");
            }
        }
    }

    @Contract
    public static void bindingAListeningPortThrowsBindException() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); ServerSocketChannel second = ServerSocketChannel.open()) {
            Check.thrown(BindException.class, "Address already in use", () -> second.bind(server.getLocalAddress()));
        }
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            Check.thrown(BindException.class, "Address already in use", () -> client.bind(server.getLocalAddress()));
        }
    }

    @Contract
    public static void aServerBindsToAnEphemeralPortOnlyOnce() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
            Check.isTrue(local.getPort() > 0, "ephemeral port " + local);
            Check.equal(Loopback.ADDRESS, local.getAddress(), "bound address");
            Check.thrown(AlreadyBoundException.class, () -> server.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
        }
    }

    @Contract
    public static void acceptOnAnUnboundServerThrowsNotYetBound() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            Check.equal(null, server.getLocalAddress(), "local address before bind");
            Check.thrown(NotYetBoundException.class, server::accept);
            server.configureBlocking(false);
            Check.thrown(NotYetBoundException.class, server::accept);
        }
    }

    @Contract
    public static void aBlockedAcceptEndsWithTheConnectionThatArrives() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            Blocked<SocketChannel> accept = Blocked.start(server::accept);
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = accept.result()) {
                Check.equal(client.getLocalAddress(), accepted.getRemoteAddress(), "accepted the client");
            }
        }
    }

    @Contract
    public static void channelsOfferTheirOperations() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(); SocketChannel client = SocketChannel.open()) {
            Check.equal(SelectionKey.OP_ACCEPT, server.validOps(), "server's valid operations");
            Check.equal(SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT, client.validOps(),
                    "socket's valid operations");
            Check.equal(null, client.getRemoteAddress(), "remote address before connect");
            Check.equal(null, client.getLocalAddress(), "local address before bind");
        }
    }

    @Contract
    public static void aClientBoundBeforeConnectKeepsItsPort() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            client.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            InetSocketAddress bound = (InetSocketAddress) client.getLocalAddress();
            client.connect(server.getLocalAddress());
            Check.equal(bound, client.getLocalAddress(), "local address after connect");
            try (SocketChannel accepted = server.accept()) {
                Check.equal(bound, accepted.getRemoteAddress(), "the server sees the bound port");
            }
        }
    }

    @Contract
    public static void aServerOnTheWildcardAddressAcceptsOnLoopback() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(Loopback.ADDRESS, port));
                 SocketChannel accepted = server.accept()) {
                Check.equal(new InetSocketAddress(Loopback.ADDRESS, port), accepted.getLocalAddress(), "accepted's local address");
            }
        }
    }

    @Contract
    public static void connectingToTheWildcardAddressReachesTheLocalHost() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(Loopback.WILDCARD, port));
                 SocketChannel accepted = server.accept()) {
                Check.equal(client.getLocalAddress(), accepted.getRemoteAddress(), "accepted the client");
                Check.equal(new InetSocketAddress(Loopback.ADDRESS, port), client.getRemoteAddress(), "client's remote address");
            }
        }
    }

    @Contract
    public static void theListenBacklogHoldsConnectionsUntilAccepted() throws Exception {
        backlogHoldsConnectionsUntilAccepted(3, 3);
    }

    /** Backlog 0 asks for the default (ServerSocketChannel.bind), which holds more than one connection. */
    @Contract
    public static void backlogZeroMeansTheDefaultWhichHoldsSeveralConnections() throws Exception {
        backlogHoldsConnectionsUntilAccepted(0, 5);
    }

    /** Connects {@code count} clients that each write their number, then accepts them all: each is alive with its own bytes. */
    private static void backlogHoldsConnectionsUntilAccepted(int backlog, int count) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(Loopback.ADDRESS, 0), backlog);
            Map<SocketAddress, String> sent = new HashMap<>();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    SocketChannel client = SocketChannel.open(server.getLocalAddress());
                    clients.add(client);
                    Loopback.writeText(client, Integer.toString(i));
                    sent.put(client.getLocalAddress(), Integer.toString(i));
                }
                // Which handshake completes first is up to the stack (jnetstack spreads them over processors); all must wait.
                Map<SocketAddress, String> received = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    try (SocketChannel channel = server.accept()) {
                        received.put(channel.getRemoteAddress(), Loopback.readText(channel, 1));
                    }
                }
                Check.equal(sent, received, "each accepted connection's bytes, by its client's address");
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }
}
