package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.Clock;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), where M ticks every 4 µs (so a connection's successive incarnations get increasing
 * ISNs, RFC 9293 §3.4.1) and F is SipHash-2-4 keyed with a secret, so an off-path attacker cannot
 * guess another connection's ISN. Thread-safe.
 */
final class IsnGenerator {
    /** RFC 9293 §3.4.1: the ISN clock ticks every 4 microseconds. */
    public static final long NANOS_PER_TICK = 4_000L;

    private final Clock clock;
    private final ConnectionTupleHash tupleHash;

    /**
     * @param secret a 16-byte key; null draws one from {@link java.security.SecureRandom}
     * @throws IllegalArgumentException if {@code secret} is not 16 bytes
     */
    public IsnGenerator(Clock clock, byte[] secret) {
        if (clock == null) {
            throw new IllegalArgumentException("an ISN generator needs a clock");
        }
        this.clock = clock;
        this.tupleHash = new ConnectionTupleHash(secret);
    }

    /** The ISN for a connection from {@code local:localPort} to {@code remote:remotePort}, now. */
    public int isn(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        int m = (int) Math.floorDiv(clock.nanoTime(), NANOS_PER_TICK);
        return m + (int) tupleHash.hash(local, localPort, remote, remotePort, 0);
    }
}
