package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.SipHash;
import java.security.SecureRandom;

/**
 * A secret-keyed hash of a connection's 4-tuple plus a caller-chosen context word: the F() of
 * RFC 6528 §3 and the MAC inside SYN cookies. Thread-safe.
 */
final class ConnectionTupleHash {
    private static final int MAX_ADDRESS_BYTES = 16;
    /** Each thread's room for one message, so hashing a tuple allocates nothing (every connection hashes one). */
    private static final ThreadLocal<byte[]> MESSAGE = ThreadLocal.withInitial(() -> new byte[2 * MAX_ADDRESS_BYTES + 4 + 8]);

    private final SipHash sipHash;

    /** @param secret a {@value SipHash#KEY_BYTES}-byte key, or null for a fresh random one */
    ConnectionTupleHash(byte[] secret) {
        this.sipHash = new SipHash(secret != null ? secret.clone() : randomKey());
    }

    long hash(IpAddress local, int localPort, IpAddress remote, int remotePort, long context) {
        byte[] message = MESSAGE.get();
        int n = 0;
        local.writeTo(message, n);
        n += local.length();
        remote.writeTo(message, n);
        n += remote.length();
        n = putShort(message, n, localPort);
        n = putShort(message, n, remotePort);
        for (int shift = 56; shift >= 0; shift -= 8) {
            message[n++] = (byte) (context >>> shift);
        }
        return sipHash.hash(message, n);
    }

    private static int putShort(byte[] b, int off, int value) {
        b[off] = (byte) (value >>> 8);
        b[off + 1] = (byte) value;
        return off + 2;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[SipHash.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
