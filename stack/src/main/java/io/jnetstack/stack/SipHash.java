package io.jnetstack.stack;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a fast keyed hash with a 128-bit key, strong enough
 * that an attacker who sees outputs cannot predict others, which is what RFC 6528 §3 asks of F()
 * and SYN cookies need, and RFC 6056 §3.3.3 asks of the ephemeral port choice's F() and G().
 * Immutable and thread-safe. Here in {@code stack} so that both {@link PortManager} and TCP use it.
 */
public final class SipHash {
    public static final int KEY_BYTES = 16;

    private final long k0;
    private final long k1;

    public SipHash(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("SipHash needs a " + KEY_BYTES + "-byte key, got " + key.length);
        }
        k0 = littleEndianLong(key, 0);
        k1 = littleEndianLong(key, 8);
    }

    /**
     * The 64-bit SipHash-2-4 of {@code message[0..length)}. The state lives in four locals, not an
     * array, so a hash allocates nothing: one runs for every connection's ISN, SYN cookie and ephemeral port.
     */
    public long hash(byte[] message, int length) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int whole = length & ~7;
        // Last block: the remaining bytes, with the message length's low byte on top.
        long last = (long) length << 56;
        for (int i = whole; i < length; i++) {
            last |= (message[i] & 0xffL) << (8 * (i - whole));
        }
        // Each message word takes two SipRounds (the "2" of SipHash-2-4); after the last word, with
        // 0xff folded into v2, four finalization rounds (the "4"). The finalization step's word is
        // 0, so XORing it into v0 changes nothing.
        int finalization = whole + 8;
        for (int at = 0; at <= finalization; at += 8) {
            boolean finishing = at == finalization;
            long word = at < whole ? littleEndianLong(message, at) : finishing ? 0 : last;
            if (finishing) {
                v2 ^= 0xff;
            } else {
                v3 ^= word;
            }
            for (int round = finishing ? 4 : 2; round > 0; round--) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= word;
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long littleEndianLong(byte[] b, int off) {
        long r = 0;
        for (int i = 7; i >= 0; i--) {
            r = (r << 8) | (b[off + i] & 0xffL);
        }
        return r;
    }
}
