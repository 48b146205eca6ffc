package io.jnetstack.address;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** A 48-bit IEEE 802 MAC address (immutable). Links without addresses use {@link #NONE}. */
public final class LinkAddress {
    public static final int LENGTH = 6;
    public static final LinkAddress NONE = new LinkAddress(new byte[LENGTH]);
    public static final LinkAddress BROADCAST = new LinkAddress(new byte[] {-1, -1, -1, -1, -1, -1});

    private final byte[] bytes;

    private LinkAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address in {@code bytes[off..off+6)}. */
    public static LinkAddress of(byte[] bytes, int off) {
        return new LinkAddress(Arrays.copyOfRange(bytes, off, off + LENGTH));
    }

    public static LinkAddress of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
        }
        return of(bytes, 0);
    }

    /**
     * Parses {@code 02:00:5e:10:00:01} (colons or dashes).
     *
     * @throws IllegalArgumentException naming the accepted form
     */
    public static LinkAddress parse(String s) {
        String[] parts = s.trim().split("[:-]");
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("not a MAC address: '" + s + "' (expected six hex bytes such as 02:00:5e:10:00:01)");
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + s + "' (expected six hex bytes such as 02:00:5e:10:00:01)");
            }
            try {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + s + "' (expected six hex bytes such as 02:00:5e:10:00:01)");
            }
        }
        return new LinkAddress(b);
    }

    /** A random unicast, locally administered address (RFC 7042 §2.1: U/L bit set, I/G bit clear). */
    public static LinkAddress randomLocal(Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        return new LinkAddress(b);
    }

    /**
     * The Ethernet multicast address an IPv6 multicast address maps to: 33:33 and its low 32 bits
     * (RFC 2464 §7).
     */
    public static LinkAddress ofIpv6Multicast(IpAddress multicast) {
        byte[] ip = multicast.toByteArray();
        return new LinkAddress(new byte[] {0x33, 0x33, ip[12], ip[13], ip[14], ip[15]});
    }

    /**
     * The modified EUI-64 interface identifier made from this MAC (RFC 4291 Appendix A): ff:fe in
     * the middle and the universal/local bit inverted.
     */
    public byte[] modifiedEui64() {
        return new byte[] {(byte) (bytes[0] ^ 0x02), bytes[1], bytes[2], (byte) 0xff, (byte) 0xfe, bytes[3], bytes[4], bytes[5]};
    }

    /** Writes the address into {@code dst[off..off+6)}. */
    public void writeTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, LENGTH);
    }

    /** True if the bytes at {@code src[off..off+6)} are this address. */
    public boolean matches(byte[] src, int off) {
        return Arrays.equals(bytes, 0, LENGTH, src, off, off + LENGTH);
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * The Ethernet address an IPv4 multicast group maps to (RFC 1112 §6.4): 01-00-5E-00-00-00
     * with the group's low-order 23 bits.
     */
    public static LinkAddress ofIpv4Multicast(IpAddress group) {
        int g = group.toInt();
        return new LinkAddress(new byte[] {0x01, 0x00, 0x5e, (byte) ((g >>> 16) & 0x7f), (byte) (g >>> 8), (byte) g});
    }

    public boolean isBroadcast() {
        return equals(BROADCAST);
    }

    /** Group (multicast or broadcast) addresses have the I/G bit set. */
    public boolean isMulticast() {
        return (bytes[0] & 1) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkAddress && Arrays.equals(bytes, ((LinkAddress) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
