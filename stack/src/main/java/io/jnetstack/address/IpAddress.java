package io.jnetstack.address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 (4-byte) or IPv6 (16-byte) address; immutable, cheap to hash and compare. */
public final class IpAddress {
    /** An IPv4 address with its value, for {@link #V4_CACHE}. */
    private record V4(int value, IpAddress address) {
    }

    /**
     * Recently made IPv4 addresses, direct-mapped by value: every received packet asks for its two
     * addresses, which are nearly always the same few. Entries are immutable and replaced whole,
     * so threads may share the table without locking (a racing reader just misses). Declared
     * before the constants below, which are made through {@link #v4}.
     */
    private static final V4[] V4_CACHE = new V4[64];
    /** Recently read IPv6 addresses, direct-mapped by their bytes' hash, as {@link #V4_CACHE} for IPv4. */
    private static final IpAddress[] V6_CACHE = new IpAddress[64];

    public static final IpAddress IPV4_ANY = v4(0);
    public static final IpAddress IPV4_BROADCAST = v4(0xffffffff);
    public static final IpAddress IPV4_LOOPBACK = v4(0x7f000001);
    public static final IpAddress IPV6_ANY = new IpAddress(new byte[16]);
    public static final IpAddress IPV6_LOOPBACK = ipv6Loopback();
    /** ff02::1, every node on the link (RFC 4291 §2.7.1). */
    public static final IpAddress IPV6_ALL_NODES = ipv6Multicast(1);
    /** ff02::2, every router on the link (RFC 4291 §2.7.1). */
    public static final IpAddress IPV6_ALL_ROUTERS = ipv6Multicast(2);

    private final byte[] bytes;
    private final int hash;
    /** Sum of the address's 16-bit words, for transport pseudo-headers (RFC 1071), kept to spare each packet the loop. */
    private final int wordSum;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
        int sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        this.wordSum = sum;
    }

    /** The IPv4 address with value {@code v} (network byte order read as a big-endian int). */
    public static IpAddress v4(int v) {
        int slot = (v ^ (v >>> 6) ^ (v >>> 12) ^ (v >>> 18) ^ (v >>> 24)) & (V4_CACHE.length - 1);
        V4 cached = V4_CACHE[slot];
        if (cached != null && cached.value == v) {
            return cached.address; // addresses are immutable values: sharing one is safe
        }
        IpAddress a = new IpAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        V4_CACHE[slot] = new V4(v, a);
        return a;
    }

    /**
     * The IPv6 address in {@code bytes[off..off+16]}, as {@link #of(byte[], int, int)} makes it, but
     * one made before for the same bytes if it is still in the cache: every received IPv6 packet
     * asks for its two addresses.
     */
    public static IpAddress v6(byte[] bytes, int off) {
        int h = 1;
        for (int i = off; i < off + 16; i++) {
            h = 31 * h + bytes[i]; // Arrays.hashCode over the 16 bytes: the hash the address keeps
        }
        int slot = (h ^ (h >>> 6) ^ (h >>> 12) ^ (h >>> 18) ^ (h >>> 24)) & (V6_CACHE.length - 1);
        IpAddress cached = V6_CACHE[slot];
        if (cached != null && cached.hash == h && Arrays.equals(cached.bytes, 0, 16, bytes, off, off + 16)) {
            return cached;
        }
        IpAddress a = new IpAddress(Arrays.copyOfRange(bytes, off, off + 16));
        V6_CACHE[slot] = a;
        return a;
    }

    public static IpAddress of(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length);
        }
        return new IpAddress(bytes.clone());
    }

    /** The {@code length}-byte address (4 or 16) at {@code bytes[off..]}. */
    public static IpAddress of(byte[] bytes, int off, int length) {
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + length);
        }
        return new IpAddress(Arrays.copyOfRange(bytes, off, off + length));
    }

    /** The address of {@code a}; an IPv4 one through the cache of {@link #v4}, as every connect asks for one. */
    public static IpAddress of(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return v4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
        }
        return new IpAddress(b);
    }

    /**
     * Parses a numeric address ("10.0.0.2", "fe80::1"); never does a name lookup.
     *
     * @throws IllegalArgumentException if {@code s} is not a numeric IPv4 or IPv6 address
     */
    public static IpAddress parse(String s) {
        String t = s.trim();
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
        }
        if (v4) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
                }
            }
        }
        try {
            return of(InetAddress.getByName(t)); // numeric only: no lookup for a literal
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
        }
    }

    public boolean isV4() {
        return bytes.length == 4;
    }

    public boolean isV6() {
        return bytes.length == 16;
    }

    /** The IPv4 address as an int; only for {@link #isV4()} addresses. */
    public int toInt() {
        if (!isV4()) {
            throw new IllegalStateException("not an IPv4 address: " + this);
        }
        return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    public boolean isUnspecified() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean isLoopback() {
        return isV4() ? (bytes[0] & 0xff) == 127 : equals(IPV6_LOOPBACK);
    }

    /** IPv4 multicast (224/4, RFC 1112 §4) or IPv6 multicast (ff00::/8). */
    public boolean isMulticast() {
        return isV4() ? (bytes[0] & 0xf0) == 0xe0 : (bytes[0] & 0xff) == 0xff;
    }

    /** IPv4 multicast (224/4) or limited broadcast, or IPv6 multicast (ff00::/8). */
    public boolean isMulticastOrBroadcast() {
        return isV4() ? ((bytes[0] & 0xf0) == 0xe0 || equals(IPV4_BROADCAST)) : (bytes[0] & 0xff) == 0xff;
    }

    /** IPv6 link-local unicast, fe80::/10 (RFC 4291 §2.5.6). */
    public boolean isLinkLocal() {
        return isV6() && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80;
    }

    /**
     * The solicited-node multicast address of this IPv6 address, ff02::1:ffXX:XXXX with its low 24
     * bits (RFC 4291 §2.7.1), where neighbor solicitations for it are sent.
     */
    public IpAddress solicitedNodeMulticast() {
        byte[] b = ipv6Multicast(1).toByteArray();
        b[11] = 1;
        b[12] = (byte) 0xff;
        System.arraycopy(bytes, 13, b, 13, 3);
        return new IpAddress(b);
    }

    /** The sum of the address's 16-bit words, not folded: its share of a pseudo-header checksum. */
    public int wordSum() {
        return wordSum;
    }

    public int length() {
        return bytes.length;
    }

    /** Byte {@code i} of the address, unsigned; lets {@link IpSubnet} compare without copying. */
    int byteAt(int i) {
        return bytes[i] & 0xff;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Writes the address into {@code dst[off..]}. */
    public void writeTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, bytes.length);
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && hash == a.hash && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        InetAddress a = toInetAddress();
        return a instanceof Inet6Address ? a.getHostAddress() : ((Inet4Address) a).getHostAddress();
    }

    /** ff02::{@code group}, a link-scope multicast address. */
    private static IpAddress ipv6Multicast(int group) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xff;
        b[1] = 2;
        b[15] = (byte) group;
        return new IpAddress(b);
    }

    private static IpAddress ipv6Loopback() {
        byte[] b = new byte[16];
        b[15] = 1;
        return new IpAddress(b);
    }
}
