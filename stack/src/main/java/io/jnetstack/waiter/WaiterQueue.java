package io.jnetstack.waiter;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The set of parties waiting for events on one endpoint. The endpoint calls {@link #notify(int)}
 * whenever its readiness may have changed; every registered entry whose interest mask overlaps the
 * events gets its callback. Registration is rare and notification frequent, hence copy-on-write.
 */
public final class WaiterQueue {
    private final CopyOnWriteArrayList<WaiterEntry> entries = new CopyOnWriteArrayList<>();

    public void register(WaiterEntry entry) {
        entries.addIfAbsent(entry);
    }

    public void unregister(WaiterEntry entry) {
        entries.remove(entry);
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
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }
}
