package io.jnetstack.waiter;

import java.util.Arrays;

/**
 * The set of parties waiting for events on one endpoint. The endpoint calls {@link #notify(int)}
 * whenever its readiness may have changed; every registered entry whose interest mask overlaps the
 * events gets its callback. Registration is rare and notification frequent, hence copy-on-write:
 * a plain array, replaced whole, so that notifying allocates nothing (a copy-on-write list's
 * iterator would be an object per notification) and an endpoint nobody waits on holds no list.
 */
public final class WaiterQueue {
    private static final WaiterEntry[] NONE = new WaiterEntry[0];
    private volatile WaiterEntry[] entries = NONE;

    public synchronized void register(WaiterEntry entry) {
        WaiterEntry[] now = entries;
        if (indexOf(now, entry) < 0) {
            WaiterEntry[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = entry;
            entries = more;
        }
    }

    public synchronized void unregister(WaiterEntry entry) {
        WaiterEntry[] now = entries;
        int i = indexOf(now, entry);
        if (i >= 0) {
            WaiterEntry[] fewer = now.length == 1 ? NONE : new WaiterEntry[now.length - 1];
            System.arraycopy(now, 0, fewer, 0, i);
            System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
            entries = fewer;
        }
    }

    private static int indexOf(WaiterEntry[] entries, WaiterEntry entry) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].equals(entry)) {
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
