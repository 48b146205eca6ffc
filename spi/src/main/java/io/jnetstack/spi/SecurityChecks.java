package io.jnetstack.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The SecurityManager checks the JDK 17's channels make, at the same points, when a program runs
 * with one installed (java.security.manager=allow). Each is a no-op without a security manager.
 */
@SuppressWarnings("removal") // the SecurityManager is deprecated for removal, but JDK 17 programs may still install one
final class SecurityChecks {
    private SecurityChecks() {
    }

    /** Before connecting a TCP channel (sun.nio.ch.SocketChannelImpl.checkRemote). */
    static void checkConnect(InetSocketAddress remote) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkConnect(remote.getAddress().getHostAddress(), remote.getPort());
        }
    }

    /** Before a datagram goes to {@code target} from an unconnected channel: a group is a multicast check. */
    static void checkSendTo(InetSocketAddress target) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            InetAddress a = target.getAddress();
            if (a.isMulticastAddress()) {
                sm.checkMulticast(a);
            } else {
                sm.checkConnect(a.getHostAddress(), target.getPort());
            }
        }
    }

    /** Before a datagram channel joins {@code group} (sun.nio.ch.DatagramChannelImpl.innerJoin). */
    static void checkMulticast(InetAddress group) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkMulticast(group);
        }
    }

    /** Before a datagram channel connects: it will send to and receive from {@code peer}. */
    static void checkDatagramPeer(InetSocketAddress peer) {
        checkSendTo(peer);
        if (!peer.getAddress().isMulticastAddress()) {
            checkAccept(peer);
        }
    }

    /** Before binding to {@code port} (0 for an ephemeral one, also when a channel binds itself). */
    static void checkListen(int port) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkListen(port);
        }
    }

    /** On an accepted connection, or a datagram received on an unconnected channel, from {@code peer}. */
    static void checkAccept(InetSocketAddress peer) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            sm.checkAccept(peer.getAddress().getHostAddress(), peer.getPort());
        }
    }

    /** Whether a datagram from {@code sender} may be received: a refused one is dropped, as the JDK's channel drops it. */
    static boolean mayReceiveFrom(InetSocketAddress sender) {
        try {
            checkAccept(sender);
            return true;
        } catch (SecurityException e) {
            return false;
        }
    }

    /**
     * The local address as {@code getLocalAddress} shows it: the loopback address with the same
     * port when the program may not learn its own (sun.nio.ch.Net.getRevealedLocalAddress).
     */
    static InetSocketAddress revealed(InetSocketAddress local) {
        SecurityManager sm = System.getSecurityManager();
        if (local != null && sm != null) {
            try {
                sm.checkConnect(local.getAddress().getHostAddress(), -1);
            } catch (SecurityException e) {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getPort());
            }
        }
        return local;
    }
}
