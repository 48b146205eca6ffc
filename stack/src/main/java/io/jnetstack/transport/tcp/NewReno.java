package io.jnetstack.transport.tcp;

/**
 * NewReno congestion control: RFC 5681 slow start and congestion avoidance with byte counting
 * (RFC 3465), halving on loss (RFC 5681 §3.2 step 2). The partial-ACK logic of RFC 6582 lives in
 * the sender, which calls {@link #onEnterRecovery} and {@link #onExitRecovery} around it.
 */
final class NewReno extends LossBasedCongestionControl {
    /** RFC 5681 §3.1 eq. 4: ssthresh = FlightSize / 2. */
    private static final double BETA = 0.5;

    /** Bytes acknowledged in congestion avoidance not yet turned into window growth (RFC 3465 §2.1). */
    private int bytesAckedInAvoidance;

    public NewReno(int mss) {
        super(mss);
    }

    @Override
    public String name() {
        return NEW_RENO;
    }

    @Override
    double multiplicativeDecrease() {
        return BETA;
    }

    /** RFC 3465 §2.1 / RFC 5681 §3.1: one SMSS more for every cwnd's worth of bytes acknowledged. */
    @Override
    void congestionAvoidance(int bytesAcked, long rttNanos) {
        bytesAckedInAvoidance = (int) Math.min(Integer.MAX_VALUE, (long) bytesAckedInAvoidance + bytesAcked);
        while (bytesAckedInAvoidance >= cwnd && cwnd < MAX_CWND) {
            bytesAckedInAvoidance -= cwnd;
            growCwndTo((long) cwnd + mss);
        }
    }

    @Override
    void beforeReduction(boolean retransmitTimeout) {
        bytesAckedInAvoidance = 0;
    }
}
