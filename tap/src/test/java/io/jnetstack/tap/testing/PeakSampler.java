package io.jnetstack.tap.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The highest value a gauge (bytes a stack holds) reached while an attack ran: reads it every
 * millisecond on a thread of its own until closed. A gauge with no high-water mark of its own can
 * only be watched this way; a spike shorter than the interval may go unseen, so a test checks the
 * gauge's final value as well.
 */
public final class PeakSampler implements AutoCloseable {
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LongSupplier gauge;
    private final AtomicLong peak = new AtomicLong(Long.MIN_VALUE);
    private final Thread sampler;
    private volatile boolean stopped;

    public PeakSampler(String name, LongSupplier gauge) {
        this.gauge = gauge;
        sample();
        sampler = new Thread(this::run, "peak-sampler-" + name);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The highest value seen so far, including the gauge's value now. */
    public long peak() {
        sample();
        return peak.get();
    }

    private void run() {
        while (!stopped) {
            sample();
            LockSupport.parkNanos(INTERVAL_NANOS);
        }
    }

    private void sample() {
        peak.accumulateAndGet(gauge.getAsLong(), Math::max);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        sampler.join();
    }
}
