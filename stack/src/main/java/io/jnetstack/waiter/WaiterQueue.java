package io.jnetstack.waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The set of parties waiting for events on one endpoint. The endpoint calls {@link #notify(int)}
 * whenever its readiness may have changed; every registered entry whose interest mask overlaps the
 * events gets its callback. Registration is rare and notification frequent, hence copy-on-write:
 * an array replaced whole on each change, which {@link #notify} walks without an iterator or a lock.
 */
public final class WaiterQueue {
    private static final WaiterEntry[] NONE = new WaiterEntry[0];
    private static final VarHandle ENTRIES;

    static {
        try {
            ENTRIES = MethodHandles.lookup().findVarHandle(WaiterQueue.class, "entries", WaiterEntry[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Never changed in place: a change installs a new array. */
    private volatile WaiterEntry[] entries = NONE;

    /** Adds {@code entry} unless it is registered already. */
    public void register(WaiterEntry entry) {
        while (true) {
            WaiterEntry[] current = entries;
            if (indexOf(current, entry) >= 0) {
                return;
            }
            WaiterEntry[] changed = Arrays.copyOf(current, current.length + 1);
            changed[current.length] = entry;
            if (ENTRIES.compareAndSet(this, current, changed)) {
                return;
            }
        }
    }

    public void unregister(WaiterEntry entry) {
        while (true) {
            WaiterEntry[] current = entries;
            int i = indexOf(current, entry);
            if (i < 0) {
                return;
            }
            WaiterEntry[] changed = current.length == 1 ? NONE : new WaiterEntry[current.length - 1];
            System.arraycopy(current, 0, changed, 0, i);
            System.arraycopy(current, i + 1, changed, i, current.length - i - 1);
            if (ENTRIES.compareAndSet(this, current, changed)) {
                return;
            }
        }
    }

    private static int indexOf(WaiterEntry[] in, WaiterEntry entry) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] == entry) {
                return i;
            }
        }
        return -1;
    }

    /** Calls back every entry interested in any of {@code events}. Callbacks must not block. */
    public void notify(int events) {
        if (events == 0) {
            return;
        }
        for (WaiterEntry e : entries) { // one read of the array: changes meanwhile apply to the next notify
            int overlap = e.interest() & events;
            if (overlap != 0) {
                e.callback().onEvents(overlap);
            }
        }
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    public int size() {
        return entries.length;
    }
}
