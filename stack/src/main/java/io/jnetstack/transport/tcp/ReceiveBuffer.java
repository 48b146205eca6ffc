package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryCost;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * In-order bytes waiting for the application. Ranges of received packets are held by reference
 * (an inbound packet is owned by the endpoint once delivered), so the only receive-side copy is
 * the one into the application's buffer.
 *
 * <p>Held bytes are charged to the stack's {@link TcpMemory} at true cost: each range's whole
 * array and its bookkeeping. When the buffer already holds data, a payload whose array would cost
 * more than twice the payload (a few bytes in a frame-sized array) is copied into a chunk of the
 * buffer's own instead, as Linux coalesces small segments into the previous buffer
 * ({@code tcp_try_coalesce}), so that tiny segments piling up cannot make the buffer's heap cost
 * outgrow its size. A payload that arrives at an empty buffer is referenced, as a request the
 * application reads at once costs nothing more that way. Chunks grow with what the buffer holds,
 * up to {@value #COALESCE_CHUNK_SIZE} bytes. Not thread-safe: the endpoint guards it with its lock.
 */
final class ReceiveBuffer {
    /** Largest chunk small payloads are copied into. */
    static final int COALESCE_CHUNK_SIZE = 4096;
    /** A {@link Range} and its slot in the deque. */
    static final int RANGE_OVERHEAD = MemoryCost.object(2, 9) + MemoryCost.REFERENCE;

    /** {@code pool}, if not null, gets {@code array} back once the range has been read. */
    private static final class Range {
        final byte[] array;
        final int offset;
        final ArrayPool pool;
        /** A chunk of this buffer's own that later small payloads may be appended to. */
        final boolean coalescing;
        int length;

        Range(byte[] array, int offset, int length, ArrayPool pool, boolean coalescing) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            this.pool = pool;
            this.coalescing = coalescing;
        }

        long cost() {
            return MemoryCost.byteArray(array.length) + RANGE_OVERHEAD;
        }
    }

    private final TcpMemory memory;
    /** Made at the first byte (see {@link #ranges()}): an idle connection's empty buffer holds none. */
    private ArrayDeque<Range> ranges;
    /** Bytes of the first range already read. */
    private int headConsumed;
    private int size;
    /** True cost of the ranges held, charged to {@link #memory}. */
    private long trueSize;

    ReceiveBuffer(TcpMemory memory) {
        this.memory = memory;
    }

    int size() {
        return size;
    }

    /** Heap bytes held, at true cost. */
    long trueSize() {
        return trueSize;
    }

    /** Adds {@code len} bytes of {@code array} at {@code off}, which must not change afterwards. */
    void append(byte[] array, int off, int len) {
        append(array, off, len, null);
    }

    /**
     * Adds {@code len} bytes of {@code array} at {@code off}, which must not change afterwards; the
     * buffer owns {@code array} and gives it back to {@code pool} (if not null) once it is read.
     */
    void append(byte[] array, int off, int len, ArrayPool pool) {
        if (len <= 0) {
            return;
        }
        boolean holdsData = size > 0;
        size += len;
        if (holdsData && pool == null && MemoryCost.byteArray(array.length) > 2L * len) {
            coalesce(array, off, len);
            return;
        }
        Range r = new Range(array, off, len, pool, false);
        ranges().addLast(r);
        charge(r);
    }

    /**
     * Copies a small payload into the last chunk of this buffer's own, and new chunks as needed,
     * each as large as what the buffer holds (so there are few), at most {@link #COALESCE_CHUNK_SIZE}.
     */
    private void coalesce(byte[] array, int off, int len) {
        while (len > 0) {
            Range tail = ranges().peekLast();
            if (tail == null || !tail.coalescing || tail.length == tail.array.length) {
                tail = new Range(new byte[Math.min(COALESCE_CHUNK_SIZE, Math.max(len, size))], 0, 0, null, true);
                ranges().addLast(tail);
                charge(tail);
            }
            int n = Math.min(len, tail.array.length - tail.length);
            System.arraycopy(array, off, tail.array, tail.length, n);
            tail.length += n;
            off += n;
            len -= n;
        }
    }

    /** Copies up to {@code dst.remaining()} bytes into {@code dst}; removes them unless {@code peek}. */
    int read(ByteBuffer dst, boolean peek) {
        int copied = 0;
        if (ranges == null) {
            return copied;
        }
        int skip = headConsumed;
        for (Range r : ranges) {
            if (!dst.hasRemaining()) {
                break;
            }
            int n = Math.min(dst.remaining(), r.length - skip);
            dst.put(r.array, r.offset + skip, n);
            copied += n;
            skip = 0;
        }
        if (!peek) {
            consume(copied);
        }
        return copied;
    }

    /** Drops every byte: nobody will read them. */
    void clear() {
        consume(size);
    }

    private void consume(int n) {
        size -= n;
        headConsumed += n;
        while (ranges != null && !ranges.isEmpty() && headConsumed >= ranges.peekFirst().length) {
            Range done = ranges.pollFirst();
            headConsumed -= done.length;
            trueSize -= done.cost();
            memory.release(done.cost());
            if (done.pool != null) {
                done.pool.give(done.array); // copied out: nothing references it any more
            }
        }
    }

    private ArrayDeque<Range> ranges() {
        if (ranges == null) {
            ranges = new ArrayDeque<>(1);
        }
        return ranges;
    }

    private void charge(Range r) {
        trueSize += r.cost();
        memory.charge(r.cost());
    }
}
