package io.jnetstack.time;

import io.jnetstack.time.Clock;

/**
 * A token bucket on a {@link Clock}, for rate-limiting ICMP errors (RFC 1812 §4.3.2.8). Linux's
 * {@code icmp_ratelimit} earns one token per 1000 ms with a burst of 50 ({@link #icmpDefault}).
 * Tokens accrue continuously, kept as nanoseconds of credit so the arithmetic is exact.
 * Thread-safe.
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final Clock clock;
    private final long nanosPerToken;
    private final long maxCredit;
    private long credit;
    private long lastRefill;

    /**
     * @param tokensPerSecond rate at which tokens accrue, &gt; 0 and at most 10^9
     * @param burst           bucket size: tokens available at once, ≥ 1; the bucket starts full
     */
    public TokenBucket(Clock clock, double tokensPerSecond, int burst) {
        if (!(tokensPerSecond > 0 && tokensPerSecond <= NANOS_PER_SECOND) || burst < 1) {
            throw new IllegalArgumentException("need a rate in (0, 1e9] per second and a burst of at least 1, got "
                    + tokensPerSecond + "/s and " + burst);
        }
        this.clock = clock;
        this.nanosPerToken = Math.round(NANOS_PER_SECOND / tokensPerSecond);
        this.maxCredit = Math.multiplyExact(nanosPerToken, (long) burst);
        this.credit = maxCredit;
        this.lastRefill = clock.nanoTime();
    }

    /** Linux's ICMP error limit: one per second, bursts of 50. */
    public static TokenBucket icmpDefault(Clock clock) {
        return new TokenBucket(clock, 1.0, 50);
    }

    /** Takes one token if there is one; false means the caller should not send. */
    public synchronized boolean tryAcquire() {
        long now = clock.nanoTime();
        long elapsed = now - lastRefill;
        lastRefill = now;
        credit = elapsed >= maxCredit - credit ? maxCredit : credit + elapsed;
        if (credit < nanosPerToken) {
            return false;
        }
        credit -= nanosPerToken;
        return true;
    }
}
