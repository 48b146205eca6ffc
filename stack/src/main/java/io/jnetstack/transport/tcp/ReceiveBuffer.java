package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryCost;
import java.nio.ByteBuffer;

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
 * application reads at once costs nothing more that way. Chunks double over a run of small
 * payloads, up to {@value #COALESCE_CHUNK_SIZE} bytes. Not thread-safe: the endpoint guards it with its lock.
 */
final class ReceiveBuffer {
    /** Largest chunk small payloads are copied into. */
    static final int COALESCE_CHUNK_SIZE = 4096;
    /** What one held range is charged for its bookkeeping (its slots in the tables below, generously). */
    static final int RANGE_OVERHEAD = MemoryCost.object(2, 9) + MemoryCost.REFERENCE;
    private static final int INITIAL_RANGES = 4;

    // The held ranges, oldest first, in a ring of parallel tables rather than an object per range,
    // so that a steady stream of segments allocates nothing here; the tables are made on the first
    // append (an idle connection holds none) and only ever grow.
    private byte[][] arrays;
    private int[] offsets;
    private int[] lengths;
    /** Where each range's array goes back once read, or null. */
    private ArrayPool[] pools;
    /** Slot of the oldest range. */
    private int head;
    private int count;
    /** The newest range is a chunk of this buffer's own that later small payloads may be appended to. */
    private boolean tailCoalescing;

    private final TcpMemory memory;
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
        addRange(array, off, len, pool, false);
    }

    /**
     * Copies a small payload into the last chunk of this buffer's own, and new chunks as needed.
     * A run of small payloads gets chunks that double, up to {@link #COALESCE_CHUNK_SIZE}, so there
     * are few; the first chunk of a run is just big enough, so a lone small segment among large
     * ones (the end of a write) costs no more than its bytes.
     */
    private void coalesce(byte[] array, int off, int len) {
        while (len > 0) {
            int tail = slot(count - 1);
            if (!tailCoalescing || lengths[tail] == arrays[tail].length) {
                int runChunk = tailCoalescing ? 2 * arrays[tail].length : 0;
                addRange(new byte[Math.min(COALESCE_CHUNK_SIZE, Math.max(len, runChunk))], 0, 0, null, true);
                tail = slot(count - 1);
            }
            byte[] chunk = arrays[tail];
            int n = Math.min(len, chunk.length - lengths[tail]);
            System.arraycopy(array, off, chunk, lengths[tail], n);
            lengths[tail] += n;
            off += n;
            len -= n;
        }
    }

    private void addRange(byte[] array, int off, int len, ArrayPool pool, boolean coalescing) {
        if (arrays == null || count == arrays.length) {
            growTables();
        }
        int s = slot(count);
        arrays[s] = array;
        offsets[s] = off;
        lengths[s] = len;
        pools[s] = pool;
        count++;
        tailCoalescing = coalescing;
        long cost = rangeCost(array);
        trueSize += cost;
        memory.charge(cost);
    }

    private static long rangeCost(byte[] array) {
        return MemoryCost.byteArray(array.length) + RANGE_OVERHEAD;
    }

    /** The table index of the {@code i}-th oldest range (the tables' length is a power of two). */
    private int slot(int i) {
        return (head + i) & (arrays.length - 1);
    }

    private void growTables() {
        int capacity = arrays == null ? INITIAL_RANGES : 2 * arrays.length;
        byte[][] a = new byte[capacity][];
        int[] o = new int[capacity];
        int[] l = new int[capacity];
        ArrayPool[] p = new ArrayPool[capacity];
        for (int i = 0; i < count; i++) {
            int s = slot(i);
            a[i] = arrays[s];
            o[i] = offsets[s];
            l[i] = lengths[s];
            p[i] = pools[s];
        }
        arrays = a;
        offsets = o;
        lengths = l;
        pools = p;
        head = 0;
    }

    /** Copies up to {@code dst.remaining()} bytes into {@code dst}; removes them unless {@code peek}. */
    int read(ByteBuffer dst, boolean peek) {
        int copied = 0;
        int skip = headConsumed;
        for (int i = 0; i < count && dst.hasRemaining(); i++) {
            int s = slot(i);
            int n = Math.min(dst.remaining(), lengths[s] - skip);
            dst.put(arrays[s], offsets[s] + skip, n);
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
        while (count > 0 && headConsumed >= lengths[head]) {
            byte[] done = arrays[head];
            ArrayPool pool = pools[head];
            headConsumed -= lengths[head];
            arrays[head] = null; // the tables must not keep a read array reachable
            pools[head] = null;
            head = slot(1);
            count--;
            long cost = rangeCost(done);
            trueSize -= cost;
            memory.release(cost);
            if (pool != null) {
                pool.give(done); // copied out: nothing references it any more
            }
        }
        if (count == 0) {
            tailCoalescing = false;
        }
    }
}
