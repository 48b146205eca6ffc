package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryCost;
import java.nio.ByteBuffer;

/**
 * In-order bytes waiting for the application, and the receive side's accounting: its capacity
 * (SO_RCVBUF) and its auto-tuning, the bytes the application has read, the urgent mark, and
 * whether the stream ended (the peer's FIN) or input was shut down.
 *
 * <p>Ranges of received packets are held by reference (an inbound packet is owned by the
 * endpoint once delivered), so the only receive-side copy is the one into the application's
 * buffer.
 *
 * <p>Held bytes are charged to the stack's {@link TcpMemory} at true cost: each range's whole
 * array and its bookkeeping. When the buffer already holds data, a payload whose array would cost
 * more than twice the payload (a few bytes in a frame-sized array) is copied into a chunk of the
 * buffer's own instead, as Linux coalesces small segments into the previous buffer
 * ({@code tcp_try_coalesce}), so that tiny segments piling up cannot make the buffer's heap cost
 * outgrow its size. A payload that arrives at an empty buffer is referenced, as a request the
 * application reads at once costs nothing more that way. Chunks double over a run of small
 * payloads, up to {@value #COALESCE_CHUNK_SIZE} bytes. All of it is guarded by {@link #lock}:
 * callers hold it (the auto-tuning clock, which only the processor reads, aside).
 */
final class ReceiveBuffer {
    /** Largest chunk small payloads are copied into. */
    static final int COALESCE_CHUNK_SIZE = 4096;
    /** What one held range is charged for its bookkeeping (its slots in the tables below, generously). */
    static final int RANGE_OVERHEAD = MemoryCost.object(2, 9) + MemoryCost.REFERENCE;
    /** Auto-tuning measures over at least this long, so a near-zero RTT does not make it jumpy. */
    static final long MIN_AUTO_TUNING_INTERVAL_NANOS = 1_000_000;
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

    /**
     * The lock that guards this buffer: the buffer itself, which the endpoint takes as its lock and
     * shares with the send buffer, the pending error and a listener's accept queue, so that the endpoint sees them all at one
     * moment (readiness, close). The application reads under it; the processor holds it to add
     * what arrived in order, never while it enters anything else.
     */
    final Object lock;
    private final TcpMemory memory;
    /** SO_RCVBUF: the most the advertised window offers; auto-tuning grows it up to {@link #maxCapacity}. */
    private int capacity;
    private final int maxCapacity;
    /** Auto-tuning is on until the application sets SO_RCVBUF (as on Linux). */
    private boolean autoTuning;
    /** Bytes the application has read, ever: auto-tuning measures how fast it drains, and the urgent mark counts from it. */
    private long bytesRead;
    /** {@link #bytesRead} when auto-tuning last measured, and when (processor only). */
    private long autoTuningMarkBytes;
    private long autoTuningMarkNanos;
    /**
     * Where the urgent byte not yet read past sits in the stream the application reads (an
     * offset as {@link #bytesRead} counts), or -1. Reads stop before it and, without
     * SO_OOBINLINE, drop it when they reach it, as Linux's tcp_recvmsg does (the JDK never reads
     * out-of-band data, so it is lost).
     */
    private long urgentMark = -1;
    private boolean oobInline;
    /** The application shut input down, or closed: reads end, and arriving data is dropped. */
    private boolean shutdown;
    /** The peer's FIN arrived in order: the stream ends after the bytes held. */
    private boolean finReceived;
    /** Bytes of the first range already read. */
    private int headConsumed;
    private int size;
    /** True cost of the ranges held, charged to {@link #memory}. */
    private long trueSize;

    /**
     * Auto-tuning is on if {@code maxCapacity} leaves room to grow beyond {@code capacity}. The
     * buffer is its own {@link #lock}: one object less for every connection end.
     */
    ReceiveBuffer(TcpMemory memory, int capacity, int maxCapacity) {
        this.memory = memory;
        this.lock = this;
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
        this.autoTuning = maxCapacity > capacity;
    }

    int capacity() {
        return capacity;
    }

    /** SO_RCVBUF: the application chose the size, so auto-tuning stops. */
    void setCapacity(int bytes) {
        capacity = bytes;
        autoTuning = false;
    }

    /** Takes a listener's capacity and auto-tuning for a connection it accepts. */
    void copySettingsFrom(ReceiveBuffer parent) {
        capacity = parent.capacity;
        autoTuning = parent.autoTuning;
    }

    /** The largest this buffer may become: the window scale must cover it from the SYN on. */
    int largestCapacity() {
        return autoTuning ? maxCapacity : capacity;
    }

    /** Whether more than half the capacity is taken: only a read that drains such a buffer can earn a window update. */
    boolean moreThanHalfFull() {
        return capacity - size < capacity / 2;
    }

    /** Processor only, without the lock: has auto-tuning's measurement run for a round trip (SRTT, at least a floor)? */
    boolean autoTuningDue(long nowNanos, long smoothedRttNanos) {
        return nowNanos - autoTuningMarkNanos >= Math.max(smoothedRttNanos, MIN_AUTO_TUNING_INTERVAL_NANOS);
    }

    /**
     * Receive-buffer auto-tuning in the manner of Linux's tcp_rcv_space_adjust (and RFC 7323 §2's
     * reason for window scaling), once per round trip: if the application read more than half the
     * buffer since the last measurement, the sender is limited by our window rather than by the
     * network, so the buffer doubles, up to its maximum; under memory pressure it stays, as
     * Linux's does. Starts the next measurement at {@code nowNanos}.
     */
    void autoTune(long nowNanos) {
        long drained = bytesRead - autoTuningMarkBytes;
        autoTuningMarkBytes = bytesRead;
        if (autoTuning && drained > capacity / 2 && !memory.underPressure()) {
            capacity = (int) Math.min((long) capacity * 2, maxCapacity);
        }
        autoTuningMarkNanos = nowNanos;
    }

    boolean isShutdown() {
        return shutdown;
    }

    void shutdown() {
        shutdown = true;
    }

    boolean finReceived() {
        return finReceived;
    }

    /** RFC 9293 §3.10.7.4, eighth check: the peer's FIN came in order; reads end after the bytes held. */
    void receiveFin() {
        finReceived = true;
    }

    boolean oobInline() {
        return oobInline;
    }

    /** SO_OOBINLINE: urgent data stays in the stream; off (the default), it is dropped from it. */
    void setOobInline(boolean on) {
        oobInline = on;
    }

    /**
     * What a read may take before the urgent byte it must not return (all with SO_OOBINLINE): the
     * FIONREAD count, as Linux's tcp_inq counts.
     */
    int readable() {
        if (urgentMark < 0 || oobInline) {
            return size;
        }
        return (int) (urgentMark - bytesRead);
    }

    /**
     * Passes the urgent mark when the reader has reached it, dropping the urgent byte unless
     * SO_OOBINLINE keeps it in the stream.
     */
    void passUrgentMark() {
        if (urgentMark != bytesRead) {
            return;
        }
        urgentMark = -1;
        if (!oobInline && size > 0) {
            read(ByteBuffer.allocate(1), false);
            bytesRead++;
        }
    }

    /**
     * The urgent byte is about to join the buffer, {@code beyondHeld} bytes after the last one held.
     * One mark at a time, as Linux keeps one urgent byte: an older one not yet reached becomes
     * ordinary data; one the reader stopped at is dropped now unless SO_OOBINLINE (tcp_check_urg).
     */
    void markUrgent(int beyondHeld) {
        long mark = bytesRead + size + beyondHeld;
        passUrgentMark();
        urgentMark = mark;
    }

    /**
     * The application's read (or peek, which leaves the bytes): copies into {@code dst}, never
     * across the urgent mark, as on Linux, and counts what it took.
     */
    int readByApplication(ByteBuffer dst, boolean peek) {
        int n;
        int beforeMark = urgentMark < 0 ? Integer.MAX_VALUE : (int) (urgentMark - bytesRead);
        if (dst.remaining() > beforeMark) {
            int limit = dst.limit();
            dst.limit(dst.position() + beforeMark);
            try {
                n = read(dst, peek);
            } finally {
                dst.limit(limit);
            }
        } else {
            n = read(dst, peek);
        }
        if (!peek) {
            bytesRead += n;
        }
        return n;
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

    /**
     * Drops the range tables of an emptied buffer nobody reads any more (a closed connection in
     * TIME-WAIT): they would otherwise stay at their largest for 2·MSL. Under the lock.
     */
    void releaseTables() {
        if (count == 0) {
            arrays = null;
            offsets = null;
            lengths = null;
            pools = null;
            head = 0;
        }
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
