package io.jnetstack.waiter;

import java.util.Arrays;

/**
 * The set of parties waiting for events on one endpoint. The endpoint calls {@link #notify(int)}
 * whenever its readiness may have changed; every registered entry whose interest mask overlaps the
 * events gets its callback. Registration is rare and notification frequent, hence copy-on-write:
 * a notification reads one array and allocates nothing, and a queue nobody waits on holds no
 * array of its own (there may be millions of idle endpoints).
 */
public final class WaiterQueue {
    private static final WaiterEntry[] NONE = new WaiterEntry[0];

    /** Replaced, never changed in place, under this queue's monitor. */
    private volatile WaiterEntry[] entries = NONE;

    public void register(WaiterEntry entry) {
        synchronized (this) {
            WaiterEntry[] current = entries;
            for (WaiterEntry e : current) {
                if (e.equals(entry)) {
                    return;
                }
            }
            WaiterEntry[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = entry;
            entries = grown;
        }
    }

    public void unregister(WaiterEntry entry) {
        synchronized (this) {
            WaiterEntry[] current = entries;
            for (int i = 0; i < current.length; i++) {
                if (current[i].equals(entry)) {
                    WaiterEntry[] shrunk = current.length == 1 ? NONE : new WaiterEntry[current.length - 1];
                    System.arraycopy(current, 0, shrunk, 0, i);
                    System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                    entries = shrunk;
                    return;
                }
            }
        }
    }

    /** Calls back every entry interested in any of {@code events}. Callbacks must not block. */
    public void notify(int events) {
        if (events == 0) {
            return;
        }
        for (WaiterEntry e : entries) {
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
