package io.jnetstack.header;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * words. Partial sums are carried as {@code int}s and folded at the end, so a checksum can be
 * accumulated over a pseudo-header, a header and payload slices in turn.
 */
public final class Checksum {
    private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Adds {@code len} bytes of {@code a} from {@code off} to {@code initial}. {@code oddStart}
     * says the bytes begin at an odd position of the checksummed stream (after an odd-length
     * range), so the first byte is the low half of a 16-bit word (RFC 1071 §2(B)).
     */
    public static int add(int initial, byte[] a, int off, int len, boolean oddStart) {
        long sum = 0;
        int i = off;
        int end = off + len;
        if (oddStart && i < end) {
            sum += a[i++] & 0xff;
        }
        // Eight bytes at a time, as two big-endian 32-bit words: 2^16 = 1 (mod 0xffff), so the
        // ones' complement sum of 32-bit words folds to that of the 16-bit words (RFC 1071 §2(C)).
        // Four independent sums over 32 bytes a step let the CPU overlap the additions (RFC 1071
        // §2(A), deferred carries): about a third faster on 64 KiB than one sum. Each step adds less
        // than 2^33 to each, so none can overflow below 2^30 steps (32 GiB), nor their total.
        long sum1 = 0;
        long sum2 = 0;
        long sum3 = 0;
        for (; i + 31 < end; i += 32) {
            long first = (long) BIG_ENDIAN_LONGS.get(a, i);
            long second = (long) BIG_ENDIAN_LONGS.get(a, i + 8);
            long third = (long) BIG_ENDIAN_LONGS.get(a, i + 16);
            long fourth = (long) BIG_ENDIAN_LONGS.get(a, i + 24);
            sum += (first >>> 32) + (first & 0xffffffffL);
            sum1 += (second >>> 32) + (second & 0xffffffffL);
            sum2 += (third >>> 32) + (third & 0xffffffffL);
            sum3 += (fourth >>> 32) + (fourth & 0xffffffffL);
        }
        sum += sum1 + sum2 + sum3;
        for (; i + 7 < end; i += 8) {
            long eight = (long) BIG_ENDIAN_LONGS.get(a, i);
            sum += (eight >>> 32) + (eight & 0xffffffffL);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (a[i] & 0xff) << 8;
        }
        return fold32(sum + (initial & 0xffffffffL));
    }

    /** Adds {@code len} bytes of {@code a} from {@code off}, starting on a word boundary. */
    public static int add(int initial, byte[] a, int off, int len) {
        return add(initial, a, off, len, false);
    }

    /** Adds bytes {@code [from, from+len)} of a packet, whatever slices they span. */
    public static int add(int initial, PacketBuffer p, int from, int len) {
        if (from >= 0 && len >= 0 && len <= p.frontLength() - from) {
            return add(initial, p.array(), p.offset() + from, len); // contiguous: no visitor needed
        }
        return p.foldRanges(from, len, null, initial, Checksum::addRange);
    }

    /** A range that follows an odd number of bytes starts in the low byte of a 16-bit word. */
    private static int addRange(Object none, int sum, int before, byte[] a, int off, int n) {
        return add(sum, a, off, n, (before & 1) != 0);
    }

    /** Adds one 16-bit value. */
    public static int add16(int initial, int value) {
        return fold32((initial & 0xffffffffL) + (value & 0xffff));
    }

    /** Adds a 32-bit value as two 16-bit words (an IPv4 address). */
    public static int add32(int initial, int value) {
        return add16(add16(initial, value >>> 16), value);
    }

    /**
     * Sum of the IPv4 pseudo-header used by UDP and TCP (RFC 768; RFC 9293 §3.1): source,
     * destination, zero, protocol, and the transport length.
     */
    public static int ipv4PseudoHeader(int source, int destination, int protocol, int transportLength) {
        int sum = add32(0, source);
        sum = add32(sum, destination);
        sum = add16(sum, protocol);
        return add16(sum, transportLength);
    }

    /**
     * Sum of the pseudo-header of a transport packet of {@code transportLength} bytes from
     * {@code source} to {@code destination}, for either family: IPv4's (RFC 9293 §3.1) and IPv6's
     * (RFC 8200 §8.1, a 32-bit length and 24 zero bits before the next header) sum alike.
     */
    public static int pseudoHeader(IpAddress source, IpAddress destination, int protocol, int transportLength) {
        long sum = (long) source.wordSum() + destination.wordSum() + protocol + (transportLength >>> 16)
                + (transportLength & 0xffff);
        return fold32(sum);
    }

    /** Folds a partial sum to 16 bits and complements it: the value to put in a header. */
    public static int finish(int sum) {
        return ~fold16(sum) & 0xffff;
    }

    /**
     * True if {@code sum}, taken over data that includes its checksum field, verifies: the ones'
     * complement sum of a correctly checksummed range is all ones (RFC 1071 §1, step (3)).
     */
    public static boolean verifies(int sum) {
        return fold16(sum) == 0xffff;
    }

    /** Folds a partial sum to 16 bits without complementing; a valid packet sums to 0xffff. */
    public static int fold16(int sum) {
        long s = sum & 0xffffffffL;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /**
     * Incremental update when one 16-bit field changes from {@code oldValue} to {@code newValue}
     * (RFC 1624 §3, eqn. 3: HC' = ~(~HC + ~m + m')), avoiding the -0 pitfall of RFC 1141.
     */
    public static int update(int oldChecksum, int oldValue, int newValue) {
        int sum = (~oldChecksum & 0xffff) + (~oldValue & 0xffff) + (newValue & 0xffff);
        return ~fold16(sum) & 0xffff;
    }

    private static int fold32(long sum) {
        while ((sum >>> 32) != 0) {
            sum = (sum & 0xffffffffL) + (sum >>> 32);
        }
        // Keep the value within 32 bits but fold to 17 bits where cheap, so callers may keep adding.
        return (int) ((sum & 0xffff) + (sum >>> 16));
    }
}
