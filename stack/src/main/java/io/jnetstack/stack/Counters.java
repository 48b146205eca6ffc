package io.jnetstack.stack;

import io.jnetstack.jfr.PacketDropEvent;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.Locale;
import java.util.LinkedHashMap;

/**
 * A set of named counters, one per constant of {@code E}, cheap to bump from any thread. Each
 * layer's statistics (like netstack's {@code tcpip.Stats}) is a {@code Counters} over its own enum.
 * Counters that count dropped packets also emit a {@link PacketDropEvent} per bump, so a JFR
 * recording sees every drop the statistics count, with the counter's name as its reason.
 */
public final class Counters<E extends Enum<E>> {
    private final Class<E> type;
    private final LongAdder[] adders;
    /** By ordinal: the drop event's reason, or null for a counter that counts no drop. */
    private final String[] dropReasons;

    public Counters(Class<E> type) {
        this(type, Set.of(), "");
    }

    /** Counters of which those in {@code drops} count drops, reported as {@code reasonPrefix} and the constant's name. */
    public Counters(Class<E> type, Set<E> drops, String reasonPrefix) {
        this.type = type;
        this.adders = new LongAdder[type.getEnumConstants().length];
        this.dropReasons = new String[adders.length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        for (E drop : drops) {
            dropReasons[drop.ordinal()] = reasonPrefix + drop.name();
        }
    }

    public void increment(E counter) {
        adders[counter.ordinal()].increment();
        reportDrops(counter, 1);
    }

    public void add(E counter, long n) {
        adders[counter.ordinal()].add(n);
        reportDrops(counter, n);
    }

    private void reportDrops(E counter, long n) {
        String reason = dropReasons[counter.ordinal()];
        if (reason != null) {
            PacketDropEvent.emit(reason, n);
        }
    }

    public long get(E counter) {
        return adders[counter.ordinal()].sum();
    }

    /** Every counter by name, in declaration order (for JMX, logs and test messages). */
    public Map<E, Long> snapshot() {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, get(e));
        }
        return m;
    }

    /** Every counter by its lower-case name ({@code ipv4_received}), in declaration order. */
    public Map<String, Long> byName() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            m.put(e.name().toLowerCase(Locale.ROOT), get(e));
        }
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
