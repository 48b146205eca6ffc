package io.jnetstack.transport.tcp;

import io.jnetstack.time.ManualClock;

/**
 * Test driver for a congestion controller: a bulk sender that always fills cwnd and whose peer
 * ACKs every segment, the ACKs of one window spread evenly over one RTT of manual-clock time.
 */
final class FullWindowSender {
    final ManualClock clock;
    final CongestionControl cc;
    final long rttNanos;

    FullWindowSender(ManualClock clock, CongestionControl cc, long rttNanos) {
        this.clock = clock;
        this.cc = cc;
        this.rttNanos = rttNanos;
    }

    /** A fresh CUBIC sender on its own manual clock, slow-started to exactly {@code segments} MSS. */
    static FullWindowSender cubicAt(int segments, int mss, long rttNanos) {
        ManualClock clock = new ManualClock();
        FullWindowSender sender = new FullWindowSender(clock, new Cubic(mss, clock), rttNanos);
        sender.slowStartTo(segments);
        return sender;
    }

    /** The controller as CUBIC, for tests that look at its curve. */
    Cubic cubic() {
        return (Cubic) cc;
    }

    /** One round trip: one ACK per MSS of the window at its start; returns cwnd after it. */
    int roundTrip() {
        int window = cc.cwnd();
        int mss = cc.mss();
        int acks = Math.max(1, window / mss);
        long spacing = rttNanos / acks;
        int unacked = window;
        for (int i = 0; i < acks; i++) {
            clock.advanceNanos(spacing);
            int acked = i == acks - 1 ? unacked : mss;
            // The sender refills the window after every ACK, so a full cwnd is in flight before the next.
            cc.onAck(acked, cc.cwnd(), rttNanos);
            unacked -= acked;
        }
        return cc.cwnd();
    }

    /** Round trips until {@code seconds} of clock time have passed; returns cwnd in segments after each. */
    double[] run(double seconds) {
        int rounds = (int) Math.round(seconds * 1e9 / rttNanos);
        double[] segments = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            segments[i] = (double) roundTrip() / cc.mss();
        }
        return segments;
    }

    /** Slow start, one ACK per segment, until cwnd is exactly {@code segments} MSS (it must be in slow start below that). */
    void slowStartTo(int segments) {
        int target = segments * cc.mss();
        while (cc.cwnd() < target) {
            cc.onAck(cc.mss(), cc.cwnd(), rttNanos);
        }
        if (cc.cwnd() != target) {
            throw new IllegalStateException("overshot: cwnd " + cc.cwnd() + " target " + target);
        }
    }

    /** Clock time in seconds since this sender's clock started. */
    double seconds() {
        return clock.nanoTime() / 1e9;
    }
}
