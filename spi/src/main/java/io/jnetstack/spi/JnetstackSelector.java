package io.jnetstack.spi;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A selector over the waiter queues of jnetstack's channels (DESIGN.md, "The NIO bridge").
 *
 * <p>Each key's waiter entry puts the key among the candidates when its channel's readiness
 * may have changed; a selection checks only the candidates. Readiness is level-triggered: a key
 * found ready stays a candidate for the next selection, a key found idle leaves the queue until
 * its channel announces something. A selection therefore costs in proportion to the channels that
 * are or just became ready, not to the channels registered.
 *
 * <p>As the {@link java.nio.channels.Selector} specification says (and the JDK's selector does),
 * a selection synchronizes on the selector and then on the selected-key set, and on the
 * cancelled-key set while it deregisters cancelled keys before and after the readiness check.
 * Interest-set changes and new registrations take effect at the start of the next selection.
 */
final class JnetstackSelector extends AbstractSelector {
    private static final long BLOCK_FOREVER = -1;

    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selectedKeys = new HashSet<>();
    private final Set<SelectionKey> publicSelectedKeys = new UngrowableSet<>(selectedKeys);
    /**
     * The candidates, newest first, chained through {@link JnetstackSelectionKey#nextCandidate}: a
     * key is in the chain at most once (its {@code candidate} flag), so the chain needs no node per
     * event. Producers push with a compare-and-set; the selecting thread takes the whole chain with
     * one swap, so no pop ever compares against a stale head (no ABA).
     */
    private final AtomicReference<JnetstackSelectionKey> candidates = new AtomicReference<>();
    /**
     * Keys whose interest set changed since the last selection, newest first, chained through
     * {@link JnetstackSelectionKey#nextInterestUpdate} as {@link #candidates} are: no node per change.
     */
    private final AtomicReference<JnetstackSelectionKey> interestUpdates = new AtomicReference<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** The thread parked in a selection, to unpark when a candidate or a wakeup arrives. */
    private volatile Thread selectingThread;
    /** Guarded by this selector: true while a selection runs (a select from inside an action is refused). */
    private boolean inSelect;
    /** Readiness checks of keys so far; written by the selecting thread only. */
    private volatile long readinessChecks;

    JnetstackSelector(SelectorProvider provider) {
        super(provider);
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelectedKeys;
    }

    @Override
    public int selectNow() throws IOException {
        return lockAndSelect(null, 0);
    }

    @Override
    public int select(long timeout) throws IOException {
        return lockAndSelect(null, toSelectTimeout(timeout));
    }

    @Override
    public int select() throws IOException {
        return lockAndSelect(null, BLOCK_FOREVER);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action), toSelectTimeout(timeout));
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action), BLOCK_FOREVER);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action), 0);
    }

    /** {@code select(timeout)}'s timeout in milliseconds (0: forever) as nanoseconds, or BLOCK_FOREVER. */
    private static long toSelectTimeout(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return millis == 0 ? BLOCK_FOREVER : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public JnetstackSelector wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            unparkSelectingThread();
        }
        return this;
    }

    private int lockAndSelect(Consumer<SelectionKey> action, long timeoutNanos) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (inSelect) {
                throw new IllegalStateException("select in progress");
            }
            inSelect = true;
            try {
                synchronized (publicSelectedKeys) {
                    return doSelect(action, timeoutNanos);
                }
            } finally {
                inSelect = false;
            }
        }
    }

    private int doSelect(Consumer<SelectionKey> action, long timeoutNanos) throws IOException {
        deregisterCancelledKeys();
        applyInterestUpdates();
        boolean blocking = timeoutNanos != 0;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        int updated;
        if (blocking) {
            begin(); // an interrupt wakes the selection up, as wakeup() does
        }
        try {
            for (;;) {
                updated = checkCandidates(action);
                if (roundAnyReady || !blocking || !awaitCandidate(timeoutNanos > 0, deadline)) {
                    break;
                }
            }
        } finally {
            wakeupPending.set(false); // a wakeup during the selection is used up by it
            if (blocking) {
                end();
            }
        }
        deregisterCancelledKeys();
        return updated;
    }

    /** Whether the last {@link #checkCandidates} pass found a ready key; selecting thread only. */
    private boolean roundAnyReady;
    /** The candidates' list, reused by passes that do not nest (an action may select again). */
    private List<JnetstackSelectionKey> spareBatch = new ArrayList<>();

    /** One pass over the candidates: returns the number of keys updated, sets {@link #roundAnyReady}. */
    private int checkCandidates(Consumer<SelectionKey> action) {
        List<JnetstackSelectionKey> batch = spareBatch != null ? spareBatch : new ArrayList<>();
        spareBatch = null;
        try {
            return checkCandidates(action, batch);
        } finally {
            batch.clear();
            spareBatch = batch;
        }
    }

    private int checkCandidates(Consumer<SelectionKey> action, List<JnetstackSelectionKey> batch) {
        for (JnetstackSelectionKey k = candidates.getAndSet(null); k != null; ) {
            JnetstackSelectionKey next = k.nextCandidate; // read before the flag is cleared and k pushed again
            k.nextCandidate = null;
            // Cleared before the check, so an event racing with it puts the key back.
            k.clearCandidacy();
            batch.add(k);
            k = next;
        }
        Collections.reverse(batch); // oldest first, as they came
        int updated = 0;
        boolean anyReady = false;
        for (int i = 0; i < batch.size(); i++) {
            JnetstackSelectionKey k = batch.get(i);
            if (!k.isValid()) {
                continue;
            }
            readinessChecks++;
            int ready = k.endpoint().readyOps(k.registeredInterest()) & k.currentInterest();
            if (ready == 0) {
                continue;
            }
            anyReady = true;
            enqueueCandidate(k); // level-triggered: look again next time
            if (recordReady(k, ready, action)) {
                updated++;
            }
        }
        roundAnyReady = anyReady;
        return updated;
    }

    /** Updates the key's ready set as the Selector specification says; true if it counts as updated. */
    private boolean recordReady(JnetstackSelectionKey k, int ready, Consumer<SelectionKey> action) {
        if (action != null) {
            k.setReadyOps(ready);
            action.accept(k);
            ensureOpen(); // the action may have closed the selector
            return true;
        }
        if (selectedKeys.contains(k)) {
            int old = k.storedReadyOps();
            if ((ready & ~old) == 0) {
                return false;
            }
            k.setReadyOps(old | ready);
            return true;
        }
        k.setReadyOps(ready);
        selectedKeys.add(k);
        return true;
    }

    /**
     * Parks until a candidate or a wakeup arrives or the deadline passes; false if the selection
     * should end (a wakeup, an interrupt, or the timeout).
     */
    private boolean awaitCandidate(boolean timed, long deadline) {
        Thread me = Thread.currentThread();
        selectingThread = me;
        try {
            // selectingThread is published before these checks, so a racing markCandidate or wakeup unparks us.
            while (candidates.get() == null) {
                if (wakeupPending.get() || me.isInterrupted() || !isOpen()) {
                    return false;
                }
                if (!Parking.park(this, timed, deadline)) {
                    return false;
                }
            }
            return true;
        } finally {
            selectingThread = null;
        }
    }

    /** Called by a key's waiter entry: the channel's readiness may have changed. */
    void markCandidate(JnetstackSelectionKey key) {
        if (enqueueCandidate(key)) {
            unparkSelectingThread();
        }
    }

    private boolean enqueueCandidate(JnetstackSelectionKey key) {
        if (key.claimCandidacy()) {
            JnetstackSelectionKey head;
            do {
                head = candidates.get();
                key.nextCandidate = head;
            } while (!candidates.compareAndSet(head, key));
            return true;
        }
        return false;
    }

    private void unparkSelectingThread() {
        Thread t = selectingThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Called by a key whose interest set changed; the next selection applies it. */
    void interestChanged(JnetstackSelectionKey key) {
        if (key.claimInterestUpdate()) {
            JnetstackSelectionKey head;
            do {
                head = interestUpdates.get();
                key.nextInterestUpdate = head;
            } while (!interestUpdates.compareAndSet(head, key));
        }
    }

    private void applyInterestUpdates() {
        // The chain is newest first: turned around, the updates apply (and their keys become
        // candidates) in the order they came, as a queue would have them.
        JnetstackSelectionKey oldestFirst = null;
        for (JnetstackSelectionKey k = interestUpdates.getAndSet(null); k != null; ) {
            JnetstackSelectionKey older = k.nextInterestUpdate;
            k.nextInterestUpdate = oldestFirst;
            oldestFirst = k;
            k = older;
        }
        for (JnetstackSelectionKey k = oldestFirst; k != null; ) {
            JnetstackSelectionKey next = k.nextInterestUpdate; // read before the flag is cleared and k pushed again
            k.nextInterestUpdate = null;
            // Cleared before the interest is read, so a change racing with this one is applied next time.
            k.clearInterestUpdate();
            if (k.isValid()) {
                k.applyInterest();
                enqueueCandidate(k); // the channel may already be ready for the new interest
            }
            k = next;
        }
    }

    /** The cancelled keys of one deregistration, copied out of the cancelled-key set; selecting thread only. */
    private SelectionKey[] cancelledBatch = new SelectionKey[8];

    private void deregisterCancelledKeys() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            int n = cancelled.size();
            if (n == 0) {
                return; // the usual case
            }
            if (cancelledBatch.length < n) {
                cancelledBatch = new SelectionKey[Math.max(n, 2 * cancelledBatch.length)];
            }
            // Copied into an array that fits them (the set fills it, makes none), not walked with an
            // iterator: a server cancels a key for every connection that closes.
            SelectionKey[] batch = cancelled.toArray(cancelledBatch);
            cancelled.clear();
            for (int i = 0; i < n; i++) {
                deregisterKey((JnetstackSelectionKey) batch[i]);
                batch[i] = null;
            }
        }
    }

    private void deregisterKey(JnetstackSelectionKey k) {
        k.endpoint().waiterQueue().unregister(k.waiterEntry());
        keys.remove(k);
        selectedKeys.remove(k);
        deregister(k); // removes the key from its channel and invalidates it
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel channel, int ops, Object attachment) {
        if (!(channel instanceof SelectableEndpoint)) {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        JnetstackSelectionKey k = new JnetstackSelectionKey(channel, this);
        k.attach(attachment);
        k.endpoint().waiterQueue().register(k.waiterEntry());
        keys.add(k);
        try {
            k.interestOps(ops);
            ensureOpen(); // a close that raced with us may have missed this key
        } catch (ClosedSelectorException e) {
            keys.remove(k);
            k.endpoint().waiterQueue().unregister(k.waiterEntry());
            k.cancel();
            throw e;
        }
        return k;
    }

    @Override
    protected void implCloseSelector() {
        wakeup();
        synchronized (this) {
            synchronized (publicSelectedKeys) {
                for (SelectionKey k : keys) {
                    deregisterKey((JnetstackSelectionKey) k);
                }
                keys.clear();
                selectedKeys.clear();
                candidates.set(null);
                interestUpdates.set(null);
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /** How many times a selection has checked a key's readiness; a selection's cost. */
    long readinessChecks() {
        return readinessChecks;
    }

    /** True while a thread is parked in a selection (for tests of cross-thread calls). */
    boolean hasParkedSelection() {
        return selectingThread != null;
    }
}
