package io.jnetstack.stack;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.Locale;
import java.util.LinkedHashMap;

/**
 * A set of named counters, one per constant of {@code E}, cheap to bump from any thread. Each
 * layer's statistics (like netstack's {@code tcpip.Stats}) is a {@code Counters} over its own enum.
 */
public final class Counters<E extends Enum<E>> {
    private final Class<E> type;
    private final LongAdder[] adders;

    public Counters(Class<E> type) {
        this.type = type;
        this.adders = new LongAdder[type.getEnumConstants().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    public void increment(E counter) {
        adders[counter.ordinal()].increment();
    }

    public void add(E counter, long n) {
        adders[counter.ordinal()].add(n);
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
