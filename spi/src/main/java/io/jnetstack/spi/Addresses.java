package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;

/** Between {@code java.net} addresses and the stack's, with the JDK's checks of what a channel accepts. */
final class Addresses {
    private Addresses() {
    }

    /** The JDK's checks (sun.nio.ch.Net.checkAddress): non-null, an InetSocketAddress, resolved, IP. */
    static InetSocketAddress check(SocketAddress address) {
        Objects.requireNonNull(address);
        if (!(address instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        InetAddress a = isa.getAddress();
        if (!(a instanceof Inet4Address || a instanceof Inet6Address)) {
            throw new IllegalArgumentException("Invalid address type");
        }
        return isa;
    }

    /**
     * {@code address} as the socket adaptors take it before anything else (sun.nio.ch.Net.asInetSocketAddress):
     * another SocketAddress type is refused at once, even on a closed socket.
     */
    static InetSocketAddress asInetSocketAddress(SocketAddress address) {
        if (!(address instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    /**
     * The stack's address for {@code a}. The IPv6 wildcard and loopback addresses mean their IPv4
     * counterparts, since jnetstack speaks IPv4 only and programs use them for "any" and
     * "localhost"; other IPv6 addresses pass through and fail where they are used.
     */
    static IpAddress toStack(InetAddress a) {
        IpAddress ip = IpAddress.of(a);
        if (ip.equals(IpAddress.IPV6_ANY)) {
            return IpAddress.IPV4_ANY;
        }
        if (ip.equals(IpAddress.IPV6_LOOPBACK)) {
            return IpAddress.IPV4_LOOPBACK;
        }
        return ip;
    }

    /** Where {@code bind(local)} binds: for null the wildcard address and an ephemeral port, else {@code local} checked. */
    static InetSocketAddress forBind(SocketAddress local) {
        return local == null ? new InetSocketAddress(0) : check(local);
    }

    /** The address of {@code socketAddress}, or null for none, as the socket adaptors report it. */
    static InetAddress addressOf(InetSocketAddress socketAddress) {
        return socketAddress == null ? null : socketAddress.getAddress();
    }

    /** The port of {@code socketAddress}, or {@code none} for none (the adaptors use 0 or -1). */
    static int portOf(InetSocketAddress socketAddress, int none) {
        return socketAddress == null ? none : socketAddress.getPort();
    }

    static InetSocketAddress toSocketAddress(IpAddress address, int port) {
        return new InetSocketAddress(address.toInetAddress(), port);
    }
}
