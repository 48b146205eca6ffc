package io.jnetstack.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stack's fault rules, changed at run time and read by every NIC's {@link io.jnetstack.fault.FaultyLink}
 * for each frame. A frame meets every rule that matches it, in the order the rules were added.
 * Thread-safe; reading is lock-free and allocates nothing. Also the JMX view {@code io.jnetstack:type=Faults,stack=NAME}.
 */
public final class FaultRules implements FaultRulesMBean {
    /** Immutable, replaced whole on each change, so the packet path reads it without a copy. */
    private volatile List<FaultRule> rules = List.of();
    private final Map<FaultRule, LongAdder> hits = new ConcurrentHashMap<>();

    /** Adds {@code rule} after the others (a rule added twice acts twice). */
    public synchronized void add(FaultRule rule) {
        hits.putIfAbsent(rule, new LongAdder());
        List<FaultRule> changed = new ArrayList<>(rules);
        changed.add(rule);
        rules = List.copyOf(changed);
    }

    /**
     * Adds the rules {@code text} holds ({@code ;}-separated), all or none.
     *
     * @throws IllegalArgumentException naming the bad rule and the accepted form
     */
    @Override
    public void add(String text) {
        for (FaultRule rule : FaultRule.parseAll(text)) {
            add(rule);
        }
    }

    /** Removes {@code rule}, its last copy if it was added more than once; true if it was there. */
    public synchronized boolean remove(FaultRule rule) {
        int last = rules.lastIndexOf(rule);
        if (last < 0) {
            return false;
        }
        List<FaultRule> changed = new ArrayList<>(rules);
        changed.remove(last);
        rules = List.copyOf(changed);
        if (!rules.contains(rule)) {
            hits.remove(rule);
        }
        return true;
    }

    /** Removes the rules written as {@code text}; true if there was one. */
    @Override
    public synchronized boolean remove(String text) {
        String wanted = text.trim();
        boolean removed = false;
        for (FaultRule rule : rules) {
            if (rule.text().equals(wanted)) {
                removed |= remove(rule);
            }
        }
        return removed;
    }

    /** Removes every rule: from now on frames pass untouched. Frames already held are still released on time. */
    @Override
    public synchronized void clear() {
        rules = List.of();
        hits.clear();
    }

    /** The rules now, in order (an unmodifiable snapshot). */
    public List<FaultRule> list() {
        return rules;
    }

    /** True if some rule changes frames' bytes (see {@link FaultAction#altersBytes}). */
    public boolean altersBytes() {
        List<FaultRule> now = rules;
        // By index: the link asks for every segment sent, and an iterator would be an object each time.
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i).action().altersBytes()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** How many frames {@code rule} has acted on since it was added. */
    public long hits(FaultRule rule) {
        LongAdder n = hits.get(rule);
        return n == null ? 0 : n.sum();
    }

    /** Counts one frame {@code rule} acted on. */
    public void recordHit(FaultRule rule) {
        LongAdder n = hits.get(rule);
        if (n != null) {
            n.increment();
        }
    }

    @Override
    public String[] getRules() {
        List<String> out = new ArrayList<>();
        for (FaultRule rule : rules) {
            out.add(rule.text() + " (hits " + hits(rule) + ")");
        }
        return out.toArray(new String[0]);
    }

    @Override
    public String toString() {
        return "FaultRules" + rules;
    }
}
