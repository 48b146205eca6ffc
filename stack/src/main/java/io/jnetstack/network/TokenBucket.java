package io.jnetstack.network;

import io.jnetstack.time.Clock;

/**
 * A token bucket on the stack's clock, for rate-limiting ICMP errors (RFC 1812 §4.3.2.8; Linux's
 * icmp_msgs_per_sec and icmp_msgs_burst): tokens accrue at {@code ratePerSecond} up to
 * {@code burst}, and each error spends one.
 */
public final class TokenBucket {
    private final Clock clock;
    private final double tokensPerNano;
    private final int burst;
    private double tokens;
    private long lastRefill;

    public TokenBucket(Clock clock, double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1, got " + ratePerSecond + "/" + burst);
        }
        this.clock = clock;
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefill = clock.nanoTime();
    }

    /** Takes one token if one is available. */
    public synchronized boolean tryAcquire() {
        long now = clock.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
