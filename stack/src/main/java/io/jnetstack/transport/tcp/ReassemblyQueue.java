package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.MemoryCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Out-of-order received data held until the gap before it fills (RFC 9293 §3.10.7.4, "segment
 * text"): each byte is stored once, in the order of sequence space, and handed over in order by
 * {@link #drainInto}. Also the source of the SACK blocks the receiver reports (RFC 2018 §4).
 *
 * <p>Bounded by true cost: each held range is charged its array and its bookkeeping objects
 * ({@link #costOf}), so a peer sending many tiny segments with gaps pays for the bookkeeping too.
 * The charge counts against {@code maxBytes} for this connection and against the stack's
 * {@link TcpMemory}, where out-of-order data may use only up to the
 * {@linkplain TcpMemory#queueThreshold() queue threshold}: RFC 9293 §3.10.7.4 lets a receiver
 * keep or drop segments beyond RCV.NXT, and Linux prunes them first ({@code tcp_prune_ofo_queue}).
 *
 * <p>All sequence numbers held must lie within 2^31 of each other, which any receive window
 * guarantees (RFC 7323 §2.3: at most 2^30). Not thread-safe: the connection's processor owns it.
 */
final class ReassemblyQueue {
    /** A range's record, its TreeMap entry and the boxed sequence number that keys it. */
    static final int RANGE_OVERHEAD = MemoryCost.object(1, 12) + MemoryCost.object(5, 1) + MemoryCost.object(0, 4);
    /** Sequence-space order; consistent while all keys are within 2^31 of each other. */
    private static final Comparator<Integer> SEQUENCE_ORDER = (a, b) -> Integer.signum(SeqNum.diff(a, b));

    private final int maxBytes;
    private final TcpMemory memory;
    private final TreeMap<Integer, Range> ranges = new TreeMap<>(SEQUENCE_ORDER);
    private int bytes;
    /** True cost of what is held, charged to {@link #memory}. */
    private long trueSize;
    /** Arrival counter, so SACK reporting can tell recent ranges from old ones. */
    private long arrivals;

    /** Why {@link #add} stored the bytes or not. */
    enum Admission {
        /** Stored, or every byte was held already. */
        STORED,
        /** Nothing stored: the connection's bound would be exceeded. */
        OVER_CONNECTION_BOUND,
        /** Nothing stored: TCP memory is at its queue threshold. */
        OVER_STACK_THRESHOLD
    }

    ReassemblyQueue(int maxBytes, TcpMemory memory) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("a reassembly queue needs room for at least one byte, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.memory = memory;
    }

    /** What holding a range of {@code length} bytes costs. */
    static long costOf(int length) {
        return MemoryCost.byteArray(length) + RANGE_OVERHEAD;
    }

    /**
     * Stores the bytes of {@code data[off..off+len)}, which start at sequence number {@code seq},
     * that are not held already; bytes already held keep their first copy.
     *
     * @return whether the bytes are held now; nothing is stored unless all the new ones fit
     */
    Admission add(int seq, byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", array " + data.length);
        }
        List<int[]> gaps = uncoveredParts(seq, SeqNum.add(seq, len));
        int newBytes = 0;
        long cost = 0;
        for (int[] gap : gaps) {
            int length = SeqNum.diff(gap[1], gap[0]);
            newBytes += length;
            cost += costOf(length);
        }
        if (cost > maxBytes - trueSize) {
            return Admission.OVER_CONNECTION_BOUND;
        }
        if (!memory.tryCharge(cost, memory.queueThreshold())) {
            return Admission.OVER_STACK_THRESHOLD;
        }
        long arrival = ++arrivals;
        for (int[] gap : gaps) {
            int length = SeqNum.diff(gap[1], gap[0]);
            byte[] copy = new byte[length];
            System.arraycopy(data, off + SeqNum.diff(gap[0], seq), copy, 0, length);
            ranges.put(gap[0], new Range(gap[0], copy, arrival));
        }
        bytes += newBytes;
        trueSize += cost;
        return Admission.STORED;
    }

    /**
     * Removes every held range that starts at or before {@code rcvNxt}, in order and as long as
     * they stay contiguous, and delivers their bytes from {@code rcvNxt} on to {@code sink} (bytes
     * before {@code rcvNxt} were already received and are dropped).
     *
     * @return how many bytes were delivered; RCV.NXT advances by that much
     */
    public int drainInto(int rcvNxt, DataSink sink) {
        int next = rcvNxt;
        int delivered = 0;
        while (!ranges.isEmpty()) {
            Range first = ranges.firstEntry().getValue();
            if (SeqNum.gt(first.seq, next)) {
                break;
            }
            ranges.pollFirstEntry();
            bytes -= first.data.length;
            trueSize -= costOf(first.data.length);
            memory.release(costOf(first.data.length));
            if (SeqNum.gt(first.end(), next)) {
                int skip = SeqNum.diff(next, first.seq);
                int length = first.data.length - skip;
                sink.accept(first.data, skip, length);
                delivered += length;
                next = first.end();
            }
        }
        return delivered;
    }

    /**
     * SACK blocks (RFC 2018 §3) for the held data, as {left, right} pairs flattened
     * {@code [left0, right0, left1, right1, ...]}, right edges exclusive; at most
     * {@code maxBlocks} of them. RFC 2018 §4: the block holding {@code mostRecentSeq} (the segment
     * that triggered this ACK) comes first; the rest follow most recently received first, which
     * approximates §4's "repeat the most recently reported blocks".
     */
    public int[] sackBlocks(int maxBlocks, int mostRecentSeq) {
        List<Block> blocks = new ArrayList<>();
        for (Range r : ranges.values()) {
            Block last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (last != null && last.right == r.seq) {
                last.right = r.end();
                last.lastArrival = Math.max(last.lastArrival, r.arrival);
            } else {
                blocks.add(new Block(r.seq, r.end(), r.arrival));
            }
        }
        blocks.sort(Comparator.<Block>comparingInt(b -> SeqNum.inRange(mostRecentSeq, b.left, b.right) ? 0 : 1)
                .thenComparing(Comparator.comparingLong((Block b) -> b.lastArrival).reversed()));
        int n = Math.min(Math.max(0, maxBlocks), blocks.size());
        int[] edges = new int[2 * n];
        for (int i = 0; i < n; i++) {
            edges[2 * i] = blocks.get(i).left;
            edges[2 * i + 1] = blocks.get(i).right;
        }
        return edges;
    }

    /** Bytes of data held. */
    public int bytes() {
        return bytes;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Heap bytes held, at true cost; at most {@code maxBytes}. */
    long trueSize() {
        return trueSize;
    }

    /** Drops everything held: the connection ended, or memory is short (the peer sends it again). */
    void clear() {
        ranges.clear();
        bytes = 0;
        memory.release(trueSize);
        trueSize = 0;
    }

    /** The parts of [start, end) no held range covers, in order, as {from, to} pairs. */
    private List<int[]> uncoveredParts(int start, int end) {
        List<int[]> gaps = new ArrayList<>(2);
        int cursor = start;
        Map.Entry<Integer, Range> before = ranges.floorEntry(start);
        Integer from = before != null ? before.getKey() : start;
        for (Range r : ranges.tailMap(from, true).values()) {
            if (!SeqNum.lt(cursor, end) || !SeqNum.lt(r.seq, end)) {
                break;
            }
            if (SeqNum.gt(r.seq, cursor)) {
                gaps.add(new int[] {cursor, r.seq});
            }
            cursor = SeqNum.max(cursor, r.end());
        }
        if (SeqNum.lt(cursor, end)) {
            gaps.add(new int[] {cursor, end});
        }
        return gaps;
    }

    /** Bytes held from {@code seq}, in their own array (the one copy made on arrival). */
    private record Range(int seq, byte[] data, long arrival) {
        int end() {
            return SeqNum.add(seq, data.length);
        }
    }

    /** Contiguous held bytes [left, right), for SACK reporting. */
    private static final class Block {
        final int left;
        int right;
        long lastArrival;

        Block(int left, int right, long lastArrival) {
            this.left = left;
            this.right = right;
            this.lastArrival = lastArrival;
        }
    }
}
