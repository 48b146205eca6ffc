package io.jnetstack.transport.tcp;

/**
 * What NewReno and CUBIC share: the RFC 6928 initial window, slow start with appropriate byte
 * counting (RFC 3465), growth only while the window is used (RFC 7661), and the shape of the
 * responses to loss (RFC 5681 §3.1, §3.2). Subclasses supply congestion avoidance and the
 * multiplicative-decrease factor.
 */
abstract class LossBasedCongestionControl implements CongestionControl {
    /** RFC 3465 §2.2: slow start grows by at most L = 2·SMSS per ACK, bounding bursts from stretch ACKs. */
    private static final int SLOW_START_LIMIT_SEGMENTS = 2;
    /** cwnd never needs to exceed the largest scaled receive window (RFC 7323 §2.3: 2^30). */
    static final int MAX_CWND = 1 << 30;

    int mss;
    int cwnd;
    int ssthresh = Integer.MAX_VALUE;
    /** False until the first ACK or congestion event: until then an MSS change re-derives the initial window. */
    private boolean windowInUse;

    LossBasedCongestionControl(int mss) {
        this.mss = requireValidMss(mss);
        this.cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public final int cwnd() {
        return cwnd;
    }

    @Override
    public final int ssthresh() {
        return ssthresh;
    }

    @Override
    public final int mss() {
        return mss;
    }

    @Override
    public final boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    @Override
    public final void onAck(int bytesAcked, int bytesInFlightBeforeAck, long rttNanos) {
        if (bytesAcked <= 0) {
            throw new IllegalArgumentException("an ACK that advances SND.UNA acknowledges bytes: " + bytesAcked);
        }
        windowInUse = true;
        if (!wasCwndLimited(bytesInFlightBeforeAck)) {
            onApplicationLimitedAck(rttNanos);
            return;
        }
        int leftForAvoidance = inSlowStart() ? slowStart(bytesAcked) : bytesAcked;
        if (leftForAvoidance > 0) {
            congestionAvoidance(leftForAvoidance, rttNanos);
        }
    }

    @Override
    public final void onEnterRecovery(int flightSize) {
        windowInUse = true;
        beforeReduction(false);
        ssthresh = reducedThreshold(flightSize);
        cwnd = ssthresh;
    }

    @Override
    public final void onExitRecovery() {
        if (ssthresh != Integer.MAX_VALUE) {
            cwnd = ssthresh;
        }
    }

    @Override
    public final void onRetransmitTimeout(int flightSize) {
        windowInUse = true;
        beforeReduction(true);
        ssthresh = reducedThreshold(flightSize);
        cwnd = mss; // RFC 5681 §3.1: the loss window is one segment
    }

    /**
     * Before any traffic the initial window is re-derived for the new MSS (RFC 6928). Afterwards
     * cwnd and ssthresh keep their size in segments, as Linux does when the MSS changes (path MTU
     * discovery), never dropping below one segment.
     */
    @Override
    public final void setMss(int newMss) {
        requireValidMss(newMss);
        if (!windowInUse) {
            cwnd = CongestionControl.initialWindow(newMss);
        } else {
            cwnd = (int) Math.min(MAX_CWND, Math.max(newMss, (long) cwnd * newMss / mss));
            if (ssthresh != Integer.MAX_VALUE) {
                ssthresh = (int) Math.max(2L * newMss, Math.min(Integer.MAX_VALUE - 1L, (long) ssthresh * newMss / mss));
            }
        }
        onMssChange(mss, newMss);
        mss = newMss;
    }

    /** ssthresh after a congestion event: flight·β, at least 2·SMSS (RFC 5681 §3.1 eq. 4). */
    private int reducedThreshold(int flightSize) {
        if (flightSize < 0) {
            throw new IllegalArgumentException("flight size cannot be negative: " + flightSize);
        }
        return (int) Math.max(2L * mss, (long) (flightSize * multiplicativeDecrease()));
    }

    /**
     * RFC 3465 §2.2 slow start: cwnd grows by the bytes acknowledged, at most 2·SMSS, and not past
     * ssthresh. Returns what is left of {@code bytesAcked} for congestion avoidance when cwnd
     * reaches ssthresh (as Linux's tcp_slow_start does), else 0.
     */
    private int slowStart(int bytesAcked) {
        int increase = Math.min(bytesAcked, SLOW_START_LIMIT_SEGMENTS * mss);
        int room = ssthresh - cwnd;
        if (increase < room) {
            cwnd = Math.min(MAX_CWND, cwnd + increase);
            return 0;
        }
        cwnd = ssthresh;
        return bytesAcked - room;
    }

    /**
     * RFC 7661 §4: was the window in use? In slow start, half of it in flight is enough (the window
     * doubles each round trip, so a sender keeping up fills half of the next one); in congestion
     * avoidance, the sender must have been unable to send another full segment.
     */
    private boolean wasCwndLimited(int flightBeforeAck) {
        long flight = Math.max(0, flightBeforeAck);
        return inSlowStart() ? 2 * flight >= cwnd : flight + mss > cwnd;
    }

    final void growCwndTo(long bytes) {
        cwnd = (int) Math.min(MAX_CWND, Math.max(cwnd, bytes));
    }

    /** The multiplicative-decrease factor β of the loss response. */
    abstract double multiplicativeDecrease();

    /** Congestion-avoidance growth for {@code bytesAcked}; cwnd ≥ ssthresh here. */
    abstract void congestionAvoidance(int bytesAcked, long rttNanos);

    /** A congestion event is about to lower ssthresh and cwnd (both still hold their old values). */
    abstract void beforeReduction(boolean retransmitTimeout);

    /** An ACK arrived while the sender did not use its window; cwnd stays. */
    void onApplicationLimitedAck(long rttNanos) {
    }

    /** The MSS is changing; cwnd and ssthresh are already rescaled. */
    void onMssChange(int oldMss, int newMss) {
    }

    private static int requireValidMss(int mss) {
        if (mss <= 0 || mss > 65_535) {
            throw new IllegalArgumentException("MSS must be in 1..65535, got " + mss);
        }
        return mss;
    }
}
