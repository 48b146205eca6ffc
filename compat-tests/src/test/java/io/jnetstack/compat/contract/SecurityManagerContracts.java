package io.jnetstack.compat.contract;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketPermission;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.Permission;
import java.util.function.Predicate;

/**
 * The SecurityManager checks JDK 17's channels make (checkConnect, checkListen, checkAccept),
 * each contract with a security manager installed for its own duration that refuses only the
 * socket permissions it names. JDK 17 still lets a program install one (with a warning).
 */
@SuppressWarnings("removal")
public final class SecurityManagerContracts {
    private SecurityManagerContracts() {
    }

    /** Grants everything but the socket permissions {@code refused} matches, and lets itself be removed. */
    private static final class Refusing extends SecurityManager {
        private final Predicate<SocketPermission> refused;

        Refusing(Predicate<SocketPermission> refused) {
            this.refused = refused;
        }

        @Override
        public void checkPermission(Permission p) {
            if (p instanceof SocketPermission sp && refused.test(sp)) {
                throw new SecurityException("refused by the contract: " + sp);
            }
        }

        @Override
        public void checkPermission(Permission p, Object context) {
            checkPermission(p);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static void withSecurityManager(Predicate<SocketPermission> refused, Body body) throws Exception {
        System.setSecurityManager(new Refusing(refused));
        try {
            body.run();
        } finally {
            System.setSecurityManager(null);
        }
    }

    /** A permission for {@code action} on {@code port} (checkListen names "localhost:PORT", the others "HOST:PORT"). */
    private static Predicate<SocketPermission> action(String action, int port) {
        return p -> p.getActions().contains(action) && p.getName().endsWith(":" + port);
    }

    private static int port(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    @Contract
    public static void tcpChannelsAskTheSecurityManagerBeforeConnectListenAndAccept() throws Exception {
        int refusedPeer = Loopback.closedPort().getPort();
        int refusedListen = Loopback.closedPort().getPort();
        try (SocketChannel channel = SocketChannel.open(); ServerSocketChannel server = ServerSocketChannel.open();
                SocketChannel client = SocketChannel.open()) {
            client.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            int refusedClient = port(client.getLocalAddress());
            withSecurityManager(action("connect", refusedPeer).or(action("listen", refusedListen)).or(action("accept", refusedClient)), () -> {
                Check.thrown(SecurityException.class, () -> channel.connect(new InetSocketAddress(Loopback.ADDRESS, refusedPeer)));
                Check.isTrue(channel.isOpen(), "a connect the security manager refuses leaves the channel open");
                Check.thrown(SecurityException.class, () -> channel.bind(new InetSocketAddress(Loopback.ADDRESS, refusedListen)));
                Check.thrown(SecurityException.class, () -> server.bind(new InetSocketAddress(Loopback.ADDRESS, refusedListen)));
                server.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
                client.connect(server.getLocalAddress());
                Check.thrown(SecurityException.class, server::accept);
                Check.equal(-1, client.read(ByteBuffer.allocate(1)), "the refused connection is closed");
            });
        }
    }

    @Contract
    public static void datagramChannelsAskTheSecurityManagerAndDropRefusedSenders() throws Exception {
        int refusedPeer = Loopback.closedPort().getPort();
        int refusedListen = Loopback.closedPort().getPort();
        InetSocketAddress loopbackAnyPort = new InetSocketAddress(Loopback.ADDRESS, 0);
        try (DatagramChannel receiver = DatagramChannel.open().bind(loopbackAnyPort);
                DatagramChannel refusedSender = DatagramChannel.open().bind(loopbackAnyPort);
                DatagramChannel sender = DatagramChannel.open().bind(loopbackAnyPort);
                DatagramChannel unbound = DatagramChannel.open()) {
            int refused = port(refusedSender.getLocalAddress());
            withSecurityManager(action("connect", refusedPeer).or(action("listen", refusedListen)).or(action("accept", refused)), () -> {
                InetSocketAddress nowhere = new InetSocketAddress(Loopback.ADDRESS, refusedPeer);
                Check.thrown(SecurityException.class, () -> sender.send(Loopback.text("x"), nowhere));
                Check.thrown(SecurityException.class, () -> sender.connect(nowhere));
                Check.thrown(SecurityException.class, () -> unbound.bind(new InetSocketAddress(Loopback.ADDRESS, refusedListen)));
                Check.thrown(SecurityException.class, () -> receiver.connect(refusedSender.getLocalAddress()));
                refusedSender.send(Loopback.text("refused"), receiver.getLocalAddress());
                sender.send(Loopback.text("welcome"), receiver.getLocalAddress());
                ByteBuffer buffer = ByteBuffer.allocate(100);
                Check.equal(sender.getLocalAddress(), receiver.receive(buffer), "sender of the first datagram received");
                Check.equal("welcome", StandardCharsets.UTF_8.decode(buffer.flip()).toString(), "the refused sender's datagram was dropped");
            });
        }
    }

    /** A program the security manager does not let resolve its own wildcard address sees the loopback address instead. */
    @Contract
    public static void getLocalAddressHidesAnAddressTheSecurityManagerRefuses() throws Exception {
        try (DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            int port = port(channel.getLocalAddress());
            withSecurityManager(p -> p.getActions().equals("resolve") && !p.getName().contains("localhost")
                    && !p.getName().startsWith("127."), () -> {
                // The JDK reveals InetAddress.getLoopbackAddress(), 127.0.0.1, whatever the family.
                Check.equal(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), channel.getLocalAddress(),
                        "revealed local address");
            });
        }
    }
}
