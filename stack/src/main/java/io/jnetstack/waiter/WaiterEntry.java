package io.jnetstack.waiter;

/**
 * One waiter on a {@link WaiterQueue}: an interest mask and the callback run when a matching event
 * fires. The interest may change while registered (a selection key's interest set does).
 */
public final class WaiterEntry {
    private volatile int interest;
    private final EventCallback callback;

    public WaiterEntry(int interest, EventCallback callback) {
        this.interest = interest;
        this.callback = callback;
    }

    public int interest() {
        return interest;
    }

    public void setInterest(int interest) {
        this.interest = interest;
    }

    public EventCallback callback() {
        return callback;
    }

    /** Receives the events that fired, masked by the entry's interest. */
    @FunctionalInterface
    public interface EventCallback {
        void onEvents(int events);
    }
}
