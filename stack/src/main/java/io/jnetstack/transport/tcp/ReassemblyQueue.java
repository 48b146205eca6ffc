package io.jnetstack.transport.tcp;

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
 * <p>Bounded: at most {@code maxBytes} bytes of data, and at most one held range per
 * {@value #MIN_BYTES_PER_RANGE} bytes of that bound (at least {@value #MIN_RANGES}), so a peer
 * sending many tiny segments with gaps cannot make bookkeeping outgrow the data.
 *
 * <p>All sequence numbers held must lie within 2^31 of each other, which any receive window
 * guarantees (RFC 7323 §2.3: at most 2^30). Not thread-safe: the connection's processor owns it.
 */
final class ReassemblyQueue {
    static final int MIN_BYTES_PER_RANGE = 128;
    static final int MIN_RANGES = 16;
    /** Sequence-space order; consistent while all keys are within 2^31 of each other. */
    private static final Comparator<Integer> SEQUENCE_ORDER = (a, b) -> Integer.signum(SeqNum.diff(a, b));

    private final int maxBytes;
    private final int maxRanges;
    private final TreeMap<Integer, Range> ranges = new TreeMap<>(SEQUENCE_ORDER);
    private int bytes;
    /** Arrival counter, so SACK reporting can tell recent ranges from old ones. */
    private long arrivals;

    public ReassemblyQueue(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("a reassembly queue needs room for at least one byte, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.maxRanges = Math.max(MIN_RANGES, maxBytes / MIN_BYTES_PER_RANGE);
    }

    /**
     * Stores the bytes of {@code data[off..off+len)}, which start at sequence number {@code seq},
     * that are not held already; bytes already held keep their first copy.
     *
     * @return false, storing nothing, if the new bytes would exceed the bound; true otherwise
     *     (including when every byte was a duplicate)
     */
    public boolean add(int seq, byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", array " + data.length);
        }
        List<int[]> gaps = uncoveredParts(seq, SeqNum.add(seq, len));
        int newBytes = 0;
        for (int[] gap : gaps) {
            newBytes += SeqNum.diff(gap[1], gap[0]);
        }
        if (newBytes > maxBytes - bytes || ranges.size() + gaps.size() > maxRanges) {
            return false;
        }
        long arrival = ++arrivals;
        for (int[] gap : gaps) {
            int length = SeqNum.diff(gap[1], gap[0]);
            byte[] copy = new byte[length];
            System.arraycopy(data, off + SeqNum.diff(gap[0], seq), copy, 0, length);
            ranges.put(gap[0], new Range(gap[0], copy, arrival));
        }
        bytes += newBytes;
        return true;
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

    /** The bound on {@link #bytes()}. */
    public int maxBytes() {
        return maxBytes;
    }

    /** Drops everything held (the connection is closing or was reset). */
    public void clear() {
        ranges.clear();
        bytes = 0;
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
