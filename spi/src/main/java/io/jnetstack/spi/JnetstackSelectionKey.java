package io.jnetstack.spi;

import io.jnetstack.waiter.WaiterEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A channel's registration with a {@link JnetstackSelector}: one waiter entry on the channel's
 * waiter queue, with this key as its callback, which makes the key a candidate for the next
 * readiness check.
 *
 * <p>The key's atomic fields are plain fields updated through {@link VarHandle}s, and it is its
 * own waiter callback: a registration (one per accepted connection on a typical server) makes the
 * key and its waiter entry and nothing else.
 */
final class JnetstackSelectionKey extends AbstractSelectionKey implements WaiterEntry.EventCallback {
    private static final VarHandle INTEREST_OPS;
    private static final VarHandle CANDIDATE;
    private static final VarHandle INTEREST_UPDATE_PENDING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            INTEREST_OPS = lookup.findVarHandle(JnetstackSelectionKey.class, "interestOps", int.class);
            CANDIDATE = lookup.findVarHandle(JnetstackSelectionKey.class, "candidate", boolean.class);
            INTEREST_UPDATE_PENDING = lookup.findVarHandle(JnetstackSelectionKey.class, "interestUpdatePending",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SelectableChannel channel;
    private final SelectableEndpoint endpoint;
    private final JnetstackSelector selector;
    private final WaiterEntry waiterEntry;
    private volatile int interestOps;
    private volatile int readyOps;
    /** The interest the waiter entry listens for; changed only by the selecting thread, at the start of a selection. */
    private int registeredInterest;
    /** True while this key sits in the selector's candidate chain. */
    private volatile boolean candidate;
    /** The next older key in the selector's candidate chain; written only while {@link #candidate} is ours. */
    JnetstackSelectionKey nextCandidate;
    /** True while this key sits in the selector's interest-update chain. */
    private volatile boolean interestUpdatePending;
    /** The next older key in the selector's interest-update chain; written only while {@link #interestUpdatePending} is ours. */
    JnetstackSelectionKey nextInterestUpdate;

    JnetstackSelectionKey(SelectableChannel channel, JnetstackSelector selector) {
        this.channel = channel;
        this.endpoint = (SelectableEndpoint) channel;
        this.selector = selector;
        this.waiterEntry = new WaiterEntry(0, this);
    }

    /** The waiter entry's callback: the channel's readiness may have changed. */
    @Override
    public void onEvents(int events) {
        selector.markCandidate(this);
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
        return interestOps;
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        ensureValid();
        checkValidOps(ops);
        if ((int) INTEREST_OPS.getAndSet(this, ops) != ops) {
            selector.interestChanged(this);
        }
        return this;
    }

    @Override
    public int interestOpsOr(int ops) {
        ensureValid();
        checkValidOps(ops);
        int old = (int) INTEREST_OPS.getAndBitwiseOr(this, ops);
        if ((old | ops) != old) {
            selector.interestChanged(this);
        }
        return old;
    }

    @Override
    public int interestOpsAnd(int ops) {
        ensureValid();
        int old = (int) INTEREST_OPS.getAndBitwiseAnd(this, ops);
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
        return interestOps;
    }

    /** Takes the right to push this key onto the candidate chain; false if it is there already. */
    boolean claimCandidacy() {
        return CANDIDATE.compareAndSet(this, false, true);
    }

    /** Taken off the candidate chain: the next event may push it again. */
    void clearCandidacy() {
        candidate = false;
    }

    /** Takes the right to push this key onto the interest-update chain; false if it is there already. */
    boolean claimInterestUpdate() {
        return INTEREST_UPDATE_PENDING.compareAndSet(this, false, true);
    }

    /** Taken off the interest-update chain: the next interest change may push it again. */
    void clearInterestUpdate() {
        interestUpdatePending = false;
    }

    int registeredInterest() {
        return registeredInterest;
    }

    /** Makes the waiter entry listen for what the current interest set needs. */
    void applyInterest() {
        registeredInterest = interestOps;
        waiterEntry.setInterest(SelectableEndpoint.eventsFor(registeredInterest));
    }

    int storedReadyOps() {
        return readyOps;
    }

    void setReadyOps(int ops) {
        readyOps = ops;
    }
}
