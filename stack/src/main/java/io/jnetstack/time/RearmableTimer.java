package io.jnetstack.time;

/**
 * A timer made once and armed any number of times, for deadlines that move all the time (TCP's
 * retransmission, delayed-ACK and keepalive timers). Arming relinks the one node this handle owns,
 * so it allocates nothing. Thread-safe: any thread may arm or cancel it, the action included.
 */
public interface RearmableTimer extends Timer {
    /**
     * Makes the action run once, {@code delayNanos} from now (at once if not positive), replacing
     * any deadline the timer had. If the action is already running, it finishes, and runs again at
     * the new deadline.
     */
    void arm(long delayNanos);
}
