package io.jnetstack.address;

/** An address with a prefix length, e.g. {@code 10.0.0.2/24}: a NIC's address or a route's destination. */
public record IpSubnet(IpAddress address, int prefixLength) {
    public IpSubnet {
        int max = address.length() * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + max);
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX} (e.g. {@code 10.0.0.2/24}).
     *
     * @throws IllegalArgumentException naming the accepted form
     */
    public static IpSubnet parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not ADDRESS/PREFIX: '" + s + "' (expected e.g. 10.0.0.2/24)");
        }
        IpAddress a = IpAddress.parse(s.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not ADDRESS/PREFIX: '" + s + "' (expected e.g. 10.0.0.2/24)");
        }
        return new IpSubnet(a, prefix);
    }

    /** True if {@code a} is of the same family and its first {@link #prefixLength} bits match. */
    public boolean contains(IpAddress a) {
        if (a.length() != address.length()) {
            return false;
        }
        int bits = prefixLength;
        for (int i = 0; i < address.length() && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((address.byteAt(i) & mask) != (a.byteAt(i) & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The network's directed broadcast address (IPv4 only): all host bits set. */
    public IpAddress broadcast() {
        return IpAddress.v4(broadcastInt());
    }

    /** {@link #broadcast()} as an int, for comparisons on the packet path that should not allocate. */
    public int broadcastInt() {
        int host = prefixLength == 32 ? 0 : (0xffffffff >>> prefixLength);
        return address.toInt() | host;
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
