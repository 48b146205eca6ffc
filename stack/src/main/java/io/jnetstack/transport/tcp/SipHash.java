package io.jnetstack.transport.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a fast keyed hash with a 128-bit key, strong enough
 * that an attacker who sees outputs cannot predict others, which is what RFC 6528 §3 asks of F()
 * and SYN cookies need. Immutable and thread-safe.
 */
final class SipHash {
    static final int KEY_BYTES = 16;

    private final long k0;
    private final long k1;

    SipHash(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("SipHash needs a " + KEY_BYTES + "-byte key, got " + key.length);
        }
        k0 = littleEndianLong(key, 0);
        k1 = littleEndianLong(key, 8);
    }

    /** The 64-bit SipHash-2-4 of {@code message[0..length)}. */
    long hash(byte[] message, int length) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long[] v = {v0, v1, v2, v3};
        int whole = length & ~7;
        for (int i = 0; i < whole; i += 8) {
            compress(v, littleEndianLong(message, i));
        }
        // Last block: the remaining bytes, with the message length's low byte on top.
        long last = (long) length << 56;
        for (int i = whole; i < length; i++) {
            last |= (message[i] & 0xffL) << (8 * (i - whole));
        }
        compress(v, last);
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** Two SipRounds over one message word (the "2" of SipHash-2-4). */
    private static void compress(long[] v, long word) {
        v[3] ^= word;
        round(v);
        round(v);
        v[0] ^= word;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    private static long littleEndianLong(byte[] b, int off) {
        long r = 0;
        for (int i = 7; i >= 0; i--) {
            r = (r << 8) | (b[off + i] & 0xffL);
        }
        return r;
    }
}
