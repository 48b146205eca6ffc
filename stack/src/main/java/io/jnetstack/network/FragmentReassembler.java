package io.jnetstack.network;

import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.time.Clock;
import io.jnetstack.time.Timer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reassembles IP datagrams from fragments, for IPv4 (RFC 791 §3.2, "reassembly procedure") and
 * IPv6 (RFC 8200 §4.5), keyed by what identifies a datagram in each ((source, destination,
 * protocol, identification) in IPv4, (source, destination, identification) in IPv6).
 *
 * <p>Each datagram keeps its fragments ordered by offset; it is complete when a last fragment (MF
 * clear) has fixed its length and no hole remains before it (RFC 815's test, by counting received
 * bytes instead of keeping a hole list, since fragments never overlap once accepted).
 *
 * <p>Overlaps follow Linux ({@code inet_frag_queue_insert}, after CVE-2018-5391, and RFC 5722 §4
 * as amended by erratum 3089 for IPv6): a fragment that lies wholly inside data already received
 * is a duplicate and ignored; any other overlap discards the whole datagram. These are also
 * invalid and discard the datagram: a non-last fragment whose length is not a multiple of 8, data
 * beyond the family's largest payload, a second last fragment with a different end, and data
 * beyond the end a last fragment set.
 *
 * <p>A datagram not complete within the timeout is dropped (RFC 1122 §3.3.2 recommends 60–120 s;
 * RFC 8200 §4.5 says 60 s; Linux's {@code ipfrag_time} and the default here is 30 s). Memory is
 * charged at its true cost ({@link PacketBuffer#trueSize()} of each fragment, compacted first so a
 * small fragment does not pin its whole frame, plus the bookkeeping objects of fragments and
 * datagrams), and when the charge exceeds the limit the oldest datagrams are evicted, as Linux does
 * above {@code ipfrag_high_thresh}. Every drop is counted, into the family's counters. Thread-safe
 * (one lock).
 */
public class FragmentReassembler {
    public static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Linux's {@code ipfrag_high_thresh} is 4 MiB; the default limit never exceeds it. */
    public static final int MAX_DEFAULT_MEMORY_LIMIT_BYTES = 4 << 20;
    /** The default limit's share of the JVM's maximum heap (see {@link #defaultMemoryLimit}). */
    static final int HEAP_SHARE_DIVISOR = 64;
    /** A {@link io.jnetstack.time.SystemClock} timer: the JDK's scheduled task, its adapter, our handle, a queue slot. */
    static final int TIMER_OVERHEAD = MemoryCost.object(5, 32) + 2 * MemoryCost.object(2, 0) + MemoryCost.REFERENCE;
    /** A fragment's entry in its datagram's TreeMap and the boxed offset that keys it. */
    static final int FRAGMENT_OVERHEAD = MemoryCost.object(5, 1) + MemoryCost.object(0, 4);
    /**
     * A datagram's own objects: itself, its TreeMap, key, LinkedHashMap entry and table slots,
     * and its timeout timer (the clock's task, the JDK's future wrapping it, and the handle).
     */
    static final int DATAGRAM_OVERHEAD = MemoryCost.object(2, 20) + MemoryCost.object(7, 8) + MemoryCost.object(0, 16)
            + MemoryCost.object(5, 4) + 2 * MemoryCost.REFERENCE + MemoryCost.object(3, 0) + TIMER_OVERHEAD;
    /** Room left in front of a reassembled payload for the headers of a reply (IPv4 or IPv6, and Ethernet). */
    static final int RESULT_HEADROOM = 64;

    /** Counts since creation (see {@link #counters()}); "dropped" counts datagrams, not fragments. */
    public record Counters(long fragmentsReceived, long datagramsReassembled, long timedOut,
                           long overlapDropped, long invalidDropped, long memoryEvicted) {
    }

    /** The counters one family counts into: its fragments, datagrams reassembled, and each kind of drop. */
    public record CounterSet(StackCounter fragmentsReceived, StackCounter reassembled, StackCounter timeouts,
                             StackCounter overlaps, StackCounter invalid, StackCounter evictions) {
    }

    private final Clock clock;
    private final long timeoutNanos;
    private final int memoryLimitBytes;
    private final int maxPayload;
    private final CounterSet counterSet;
    private final Object lock = new Object();
    /** Insertion order is age order, which memory eviction needs. */
    private final LinkedHashMap<Object, Datagram> datagrams = new LinkedHashMap<>();
    private long heldBytes;
    /** Where every fragment and drop is counted: the stack's counters, which operators read. */
    private final io.jnetstack.stack.Counters<StackCounter> stats;

    /**
     * 1/64 of the JVM's maximum heap, at most Linux's 4 MiB: fragmented datagrams are rare and
     * reassembled quickly, so a small share serves them, and a fragment flood can never take more.
     */
    public static int defaultMemoryLimit() {
        return (int) Math.min(MAX_DEFAULT_MEMORY_LIMIT_BYTES, Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR);
    }

    /**
     * A reassembler of datagrams up to {@code maxPayload} bytes that counts into {@code stats} (a
     * stack's) through {@code counterSet}.
     */
    public FragmentReassembler(Clock clock, long timeoutNanos, int memoryLimitBytes, int maxPayload,
                               CounterSet counterSet, io.jnetstack.stack.Counters<StackCounter> stats) {
        if (timeoutNanos <= 0 || memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("timeout and memory limit must be positive");
        }
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.memoryLimitBytes = memoryLimitBytes;
        this.maxPayload = maxPayload;
        this.counterSet = counterSet;
        this.stats = stats;
    }

    /**
     * Adds one fragment and takes ownership of {@code fragmentPayload} (the bytes after the IP
     * header, link padding already trimmed).
     *
     * @param key                 what identifies the datagram (a record of the family's fields)
     * @param fragmentOffsetBytes the fragment offset field times 8
     * @return the whole IP payload, contiguous in a new array, when this fragment completes the
     *         datagram; otherwise null (held, duplicate, or dropped)
     */
    public PacketBuffer add(Object key, int fragmentOffsetBytes, boolean moreFragments, PacketBuffer fragmentPayload) {
        fragmentPayload.compact(); // before the lock: it may copy
        int length = fragmentPayload.length();
        int end = fragmentOffsetBytes + length;
        synchronized (lock) {
            stats.increment(counterSet.fragmentsReceived());
            Datagram d = datagrams.get(key);
            if (!isWellFormed(fragmentOffsetBytes, length, end, moreFragments)) {
                stats.increment(counterSet.invalid());
                if (d != null) {
                    discard(key, d);
                }
                return null;
            }
            if (d == null) {
                d = new Datagram();
                d.chargedBytes = DATAGRAM_OVERHEAD;
                heldBytes += DATAGRAM_OVERHEAD;
                datagrams.put(key, d);
                Datagram created = d;
                d.timer = clock.schedule(timeoutNanos, () -> onTimeout(key, created));
            }
            switch (d.insert(fragmentOffsetBytes, end, moreFragments, fragmentPayload)) {
                case DUPLICATE -> {
                    evictForMemory(key); // the datagram may be new, and charged
                    return null;
                }
                case OVERLAP -> {
                    stats.increment(counterSet.overlaps());
                    discard(key, d);
                    return null;
                }
                case INVALID -> {
                    stats.increment(counterSet.invalid());
                    discard(key, d);
                    return null;
                }
                case ACCEPTED -> {
                    long cost = fragmentPayload.trueSize() + FRAGMENT_OVERHEAD;
                    d.chargedBytes += cost;
                    heldBytes += cost;
                }
            }
            if (d.isComplete()) {
                discard(key, d);
                stats.increment(counterSet.reassembled());
                return d.assemble();
            }
            evictForMemory(key);
            return null;
        }
    }

    /** This reassembler's figures, read from the counters it counts into. */
    public Counters counters() {
        return new Counters(stats.get(counterSet.fragmentsReceived()), stats.get(counterSet.reassembled()),
                stats.get(counterSet.timeouts()), stats.get(counterSet.overlaps()),
                stats.get(counterSet.invalid()), stats.get(counterSet.evictions()));
    }

    /** Datagrams waiting for fragments. */
    public int pendingDatagrams() {
        synchronized (lock) {
            return datagrams.size();
        }
    }

    /** The most {@link #heldBytes()} may be before the oldest datagrams are evicted. */
    public int memoryLimitBytes() {
        return memoryLimitBytes;
    }

    /** Heap bytes held by incomplete datagrams, at true cost (fragments and bookkeeping). */
    public long heldBytes() {
        synchronized (lock) {
            return heldBytes;
        }
    }

    private boolean isWellFormed(int offset, int length, int end, boolean moreFragments) {
        if (offset < 0 || offset % 8 != 0 || end > maxPayload) {
            return false;
        }
        // RFC 791 §3.2, RFC 8200 §4.5: every fragment but the last carries a multiple of 8 bytes (and some bytes).
        return !moreFragments || (length > 0 && length % 8 == 0);
    }

    private void onTimeout(Object key, Datagram d) {
        synchronized (lock) {
            if (datagrams.get(key) == d) {
                stats.increment(counterSet.timeouts());
                discard(key, d);
            }
        }
    }

    /**
     * Evicts the oldest other datagrams until within the limit, and then, if it alone is still too
     * big, the one just added to.
     */
    private void evictForMemory(Object current) {
        Iterator<Map.Entry<Object, Datagram>> it = datagrams.entrySet().iterator();
        while (heldBytes > memoryLimitBytes && it.hasNext()) {
            Map.Entry<Object, Datagram> e = it.next();
            if (!e.getKey().equals(current)) {
                it.remove();
                release(e.getValue());
                stats.increment(counterSet.evictions());
            }
        }
        if (heldBytes > memoryLimitBytes) {
            discard(current, datagrams.get(current));
            stats.increment(counterSet.evictions());
        }
    }

    private void discard(Object key, Datagram d) {
        datagrams.remove(key);
        release(d);
    }

    private void release(Datagram d) {
        d.timer.cancel();
        heldBytes -= d.chargedBytes;
    }

    private enum Insert { ACCEPTED, DUPLICATE, OVERLAP, INVALID }

    private static final class Datagram {
        /** Fragments by offset; accepted fragments never overlap. */
        final TreeMap<Integer, PacketBuffer> fragments = new TreeMap<>();
        /** Length fixed by the last fragment, or -1 until it arrives. */
        int totalLength = -1;
        /** End of the furthest fragment so far. */
        int highestEnd;
        int receivedBytes;
        /** What this datagram adds to {@link #heldBytes}. */
        long chargedBytes;
        Timer timer;

        Insert insert(int offset, int end, boolean moreFragments, PacketBuffer payload) {
            if (!moreFragments) {
                if ((totalLength >= 0 && end != totalLength) || end < highestEnd) {
                    return Insert.INVALID;
                }
                totalLength = end;
            } else if (totalLength >= 0 && end > totalLength) {
                return Insert.INVALID;
            }
            if (end == offset) {
                return Insert.DUPLICATE; // an empty last fragment only sets the length
            }
            if (isCoveredByReceivedData(offset, end)) {
                return Insert.DUPLICATE;
            }
            if (overlapsReceivedData(offset, end)) {
                return Insert.OVERLAP;
            }
            fragments.put(offset, payload);
            receivedBytes += end - offset;
            highestEnd = Math.max(highestEnd, end);
            return Insert.ACCEPTED;
        }

        /** True if [offset, end) lies in one gap-free run of received fragments. */
        private boolean isCoveredByReceivedData(int offset, int end) {
            Map.Entry<Integer, PacketBuffer> e = fragments.floorEntry(offset);
            if (e == null) {
                return false;
            }
            int covered = e.getKey() + e.getValue().length();
            while (covered > offset && covered < end) {
                PacketBuffer next = fragments.get(covered);
                if (next == null) {
                    return false;
                }
                covered += next.length();
            }
            return covered >= end;
        }

        private boolean overlapsReceivedData(int offset, int end) {
            Map.Entry<Integer, PacketBuffer> before = fragments.floorEntry(offset);
            if (before != null && before.getKey() + before.getValue().length() > offset) {
                return true;
            }
            Integer after = fragments.higherKey(offset);
            return after != null && after < end;
        }

        boolean isComplete() {
            return totalLength >= 0 && receivedBytes == totalLength;
        }

        PacketBuffer assemble() {
            PacketBuffer out = PacketBuffer.allocate(RESULT_HEADROOM, totalLength);
            for (Map.Entry<Integer, PacketBuffer> e : fragments.entrySet()) {
                PacketBuffer f = e.getValue();
                f.copyTo(0, out.array(), out.offset() + e.getKey(), f.length());
            }
            return out;
        }
    }
}
