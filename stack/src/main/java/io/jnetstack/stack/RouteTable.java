package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack's routes, looked up by longest-prefix match (RFC 1812 §5.2.4.3); among equally long
 * prefixes the route added first wins. Reads vastly outnumber changes, so lookups scan an
 * immutable snapshot without locking.
 */
public final class RouteTable {
    private volatile List<RouteEntry> entries = List.of();

    public synchronized void add(RouteEntry entry) {
        List<RouteEntry> next = new ArrayList<>(entries);
        if (!next.contains(entry)) {
            next.add(entry);
        }
        entries = List.copyOf(next);
    }

    public synchronized void remove(RouteEntry entry) {
        List<RouteEntry> next = new ArrayList<>(entries);
        next.remove(entry);
        entries = List.copyOf(next);
    }

    /** Removes every route through NIC {@code nicId}. */
    public synchronized void removeNic(int nicId) {
        entries = entries.stream().filter(e -> e.nicId() != nicId).toList();
    }

    /**
     * The best route to {@code destination}, restricted to NIC {@code nicId} unless it is 0, or
     * null when none matches.
     */
    public RouteEntry lookup(IpAddress destination, int nicId) {
        RouteEntry best = null;
        for (RouteEntry e : entries) {
            if ((nicId == 0 || e.nicId() == nicId) && e.destination().contains(destination)
                    && (best == null || e.destination().prefixLength() > best.destination().prefixLength())) {
                best = e;
            }
        }
        return best;
    }

    public List<RouteEntry> entries() {
        return entries;
    }
}
