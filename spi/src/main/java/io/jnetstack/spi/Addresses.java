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
     * {@link #check(SocketAddress)}, and for a channel opened with {@code StandardProtocolFamily.INET}
     * no IPv6 address, not even {@code ::}: {@link UnsupportedAddressTypeException} as the JDK throws.
     */
    static InetSocketAddress check(SocketAddress address, boolean ipv4Only) {
        InetSocketAddress isa = check(address);
        if (ipv4Only && isa.getAddress() instanceof Inet6Address) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    /**
     * The stack address a channel binds for {@code a}. A dual-stack channel (opened without a family
     * or with INET6) binds {@code 0.0.0.0} as {@code ::}, which takes both families, and reports
     * {@code ::} as the JDK's does (it binds ::ffff:0.0.0.0, which Linux treats as ::).
     */
    static IpAddress toStackForBind(InetAddress a, boolean ipv4Only) {
        IpAddress ip = IpAddress.of(a);
        return !ipv4Only && ip.equals(IpAddress.IPV4_ANY) ? IpAddress.IPV6_ANY : ip;
    }

    /** The wildcard address an unbound channel binds before it sends or receives. */
    static IpAddress wildcard(boolean ipv4Only) {
        return ipv4Only ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY;
    }

    /** Where connecting to a wildcard address goes, as with the JDK: the loopback address of its family. */
    static InetSocketAddress loopbackFor(InetSocketAddress anyLocal) {
        IpAddress loopback = anyLocal.getAddress() instanceof Inet6Address ? IpAddress.IPV6_LOOPBACK
                : IpAddress.IPV4_LOOPBACK;
        return toSocketAddress(loopback, anyLocal.getPort());
    }

    /** Where {@code bind(local)} binds: for null the wildcard address and an ephemeral port, else {@code local} checked for the channel's family. */
    static InetSocketAddress forBind(SocketAddress local, boolean ipv4Only) {
        return local == null ? new InetSocketAddress(0) : check(local, ipv4Only);
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
