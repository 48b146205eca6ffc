package io.jnetstack.spi;

import io.jnetstack.waiter.WaiterEntry;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's registration with a {@link JnetstackSelector}: one waiter entry on the channel's
 * waiter queue whose callback makes this key a candidate for the next readiness check.
 */
final class JnetstackSelectionKey extends AbstractSelectionKey {
    private final SelectableChannel channel;
    private final SelectableEndpoint endpoint;
    private final JnetstackSelector selector;
    private final WaiterEntry waiterEntry;
    private final AtomicInteger interestOps = new AtomicInteger();
    private volatile int readyOps;
    /** The interest the waiter entry listens for; changed only by the selecting thread, at the start of a selection. */
    private int registeredInterest;
    /** True while this key sits in the selector's candidate chain. */
    final AtomicBoolean candidate = new AtomicBoolean();
    /** The next older key in the selector's candidate chain; written only while {@link #candidate} is ours. */
    JnetstackSelectionKey nextCandidate;
    /** True while this key sits in the selector's interest-update queue. */
    final AtomicBoolean interestUpdatePending = new AtomicBoolean();

    JnetstackSelectionKey(SelectableChannel channel, JnetstackSelector selector) {
        this.channel = channel;
        this.endpoint = (SelectableEndpoint) channel;
        this.selector = selector;
        this.waiterEntry = new WaiterEntry(0, events -> selector.markCandidate(this));
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps.get();
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        ensureValid();
        checkValidOps(ops);
        if (interestOps.getAndSet(ops) != ops) {
            selector.interestChanged(this);
        }
        return this;
    }

    @Override
    public int interestOpsOr(int ops) {
        ensureValid();
        checkValidOps(ops);
        int old = interestOps.getAndUpdate(v -> v | ops);
        if ((old | ops) != old) {
            selector.interestChanged(this);
        }
        return old;
    }

    @Override
    public int interestOpsAnd(int ops) {
        ensureValid();
        int old = interestOps.getAndUpdate(v -> v & ops);
        if ((old & ops) != old) {
            selector.interestChanged(this);
        }
        return old;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    private void checkValidOps(int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops"); // the JDK's message
        }
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    // ---- for the selector ----

    SelectableEndpoint endpoint() {
        return endpoint;
    }

    WaiterEntry waiterEntry() {
        return waiterEntry;
    }

    int currentInterest() {
        return interestOps.get();
    }

    int registeredInterest() {
        return registeredInterest;
    }

    /** Makes the waiter entry listen for what the current interest set needs. */
    void applyInterest() {
        registeredInterest = interestOps.get();
        waiterEntry.setInterest(SelectableEndpoint.eventsFor(registeredInterest));
    }

    int storedReadyOps() {
        return readyOps;
    }

    void setReadyOps(int ops) {
        readyOps = ops;
    }
}
