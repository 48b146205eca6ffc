package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;

/**
 * The bytes written by the application and not yet acknowledged, in chunks, and the send side's
 * accounting: its capacity (SO_SNDBUF), where urgent data ends, and whether output is shut down.
 * A byte, once written,
 * never changes, so outbound segments reference chunks as {@link PacketBuffer} slices instead of
 * copying them: the application's copy into this buffer is the only copy on the send side.
 *
 * <p>When the route {@linkplain #reuseChunks releases slices on write} (the in-memory links copy
 * a frame before {@code writeFrame} returns), no packet references a chunk once all of its bytes
 * are acknowledged: every segment that sliced it was written out, on the processor thread, before
 * that thread handled the acknowledgement. Such chunks go to the protocol's bounded pool, shared
 * by its connections, and later writes refill them instead of allocating new ones. On any other
 * route a chunk is never rewritten.
 *
 * <p>Every chunk is charged to the stack's {@link TcpMemory}: a new full chunk only while TCP
 * memory is below its {@linkplain TcpMemory#queueThreshold() queue threshold}; above it, a buffer
 * that holds no chunk may still take a small one ({@link #MIN_CHUNK_SIZE}, like Linux's
 * {@code tcp_wmem[0]}) while TCP memory stays within its {@linkplain TcpMemory#floorCeiling()
 * floor ceiling}, and any other write takes nothing until this connection's data is acknowledged.
 * So a peer that never opens its window pins at most that floor once TCP memory is spoken for,
 * instead of the whole send buffer, and many such peers together no more than the ceiling.
 * All of it is guarded by {@link #lock}: callers hold it.
 */
final class SendBuffer {
    static final int CHUNK_SIZE = 16 * 1024;
    /** The chunk a buffer may have whatever TCP memory holds, up to its floor ceiling. */
    static final int MIN_CHUNK_SIZE = 4 * 1024;
    /** What that chunk is charged. */
    static final long FLOOR_COST = chunkCost(MIN_CHUNK_SIZE);

    /**
     * The lock that guards this buffer: the endpoint's, which it shares with the receive buffer,
     * the pending error and a listener's accept queue, so that the endpoint sees them all at one
     * moment (readiness, close). The application writes under it; the processor holds it only to
     * look at or drop what is queued, never while it enters anything else.
     */
    final Object lock;
    private final TcpMemory memory;
    /** SO_SNDBUF: the most bytes the application may have queued here. */
    private int capacity;
    /** Bytes the application has written, ever: urgent data is located by it. */
    private long bytesWritten;
    /**
     * The stream offset (as {@link #bytesWritten} counts) just past the last urgent byte written,
     * while the peer has not acknowledged it; -1 otherwise. The sender's SND.UP.
     */
    private long urgentEnd = -1;
    /** The application shut output down, or closed: no more writes. */
    private boolean shutdown;
    /** True cost of the chunks held, charged to {@link #memory}. */
    private long trueSize;
    /**
     * The chunks, oldest first, in a ring (its length a power of two) walked by index, so slicing
     * a segment allocates no iterator; made on the first write and only ever grown.
     */
    private byte[][] chunks = NO_CHUNKS;
    private static final byte[][] NO_CHUNKS = new byte[0][];
    /** Slot of the oldest chunk. */
    private int firstChunk;
    private int chunkCount;
    /** Where acknowledged chunks go and new ones come from, or null: see {@link #reuseChunks}. */
    private ArrayPool chunkPool;
    /** Bytes of the first chunk already acknowledged (dropped). */
    private int headOffset;
    /** Bytes filled in the last chunk. */
    private int tailFill;
    private int size;

    SendBuffer(TcpMemory memory, Object lock, int capacity) {
        this.memory = memory;
        this.lock = lock;
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    void setCapacity(int bytes) {
        capacity = bytes;
    }

    /** Bytes a write may queue before the buffer is at its capacity. */
    int room() {
        return capacity - size;
    }

    /** Whether a write would take a byte now: output not shut down, below capacity, and memory to grow. */
    boolean writable() {
        return !shutdown && size < capacity && canGrow();
    }

    boolean isShutdown() {
        return shutdown;
    }

    /** No more writes; false if output was shut down already. */
    boolean shutdown() {
        boolean first = !shutdown;
        shutdown = true;
        return first;
    }

    /**
     * The application's write: copies up to {@code max} bytes of {@code src} (see {@link #append})
     * and, for urgent data, moves the urgent end just past them. Returns the bytes copied.
     */
    int write(ByteBuffer src, int max, boolean urgent) {
        int n = append(src, max);
        bytesWritten += n;
        if (urgent && n > 0) {
            urgentEnd = bytesWritten;
        }
        return n;
    }

    /** The stream offset just past the last urgent byte not yet acknowledged, or -1 (see {@link #urgentEnd}). */
    long urgentEnd() {
        return urgentEnd;
    }

    /** Whether urgent data is unacknowledged: the sender is in urgent mode. */
    boolean urgentPending() {
        return urgentEnd >= 0;
    }

    /**
     * The peer acknowledged {@code n} more bytes: drops them (as many as are held) and ends
     * urgent mode once the urgent data is among them, as Linux's tcp_clean_rtx_queue does.
     * Returns the bytes dropped.
     */
    int acknowledge(int n) {
        int dropped = Math.min(n, size);
        dropAcknowledged(dropped);
        if (urgentEnd >= 0 && bytesWritten - size >= urgentEnd) {
            urgentEnd = -1;
        }
        return dropped;
    }

    int size() {
        return size;
    }

    /** Heap bytes the chunks take. */
    long trueSize() {
        return trueSize;
    }

    /** True if {@link #append} would take a byte now, whatever the size limit says. */
    boolean canGrow() {
        if (chunkCount == 0) {
            return !starved();
        }
        return tailFill < lastChunk().length || memory.used() + chunkCost(CHUNK_SIZE) <= memory.queueThreshold();
    }

    /**
     * True if this buffer holds nothing and TCP memory has no room even for its floor: no
     * acknowledgement of its own will make room, only other connections giving memory back.
     */
    boolean starved() {
        return chunkCount == 0 && memory.exhausted();
    }

    /**
     * Takes chunks from and gives acknowledged ones to {@code pool} (of {@link #CHUNK_SIZE} arrays);
     * only for a route whose {@code writePacket} is done with the slices when it returns. Null
     * (the default) allocates every chunk. Set before the endpoint is published.
     */
    void reuseChunks(ArrayPool pool) {
        chunkPool = pool;
    }

    /** Copies up to {@code max} bytes from {@code src}, fewer if TCP memory is short; returns the number copied. */
    int append(ByteBuffer src, int max) {
        int remaining = Math.min(max, src.remaining());
        int copied = 0;
        while (remaining > 0) {
            if (chunkCount == 0 || tailFill == lastChunk().length) {
                byte[] chunk = newChunk();
                if (chunk == null) {
                    break;
                }
                addChunk(chunk);
                tailFill = 0;
            }
            byte[] tail = lastChunk();
            int n = Math.min(remaining, tail.length - tailFill);
            src.get(tail, tailFill, n);
            tailFill += n;
            remaining -= n;
            copied += n;
        }
        size += copied;
        return copied;
    }

    /** A chunk charged to TCP memory (see the class comment), or null if none may be had now. */
    private byte[] newChunk() {
        long cost = chunkCost(CHUNK_SIZE);
        if (memory.tryCharge(cost, memory.queueThreshold())) {
            trueSize += cost;
            return chunkPool != null ? chunkPool.take() : new byte[CHUNK_SIZE];
        }
        if (chunkCount > 0 || !memory.tryCharge(FLOOR_COST, memory.floorCeiling())) {
            return null;
        }
        trueSize += FLOOR_COST;
        return new byte[MIN_CHUNK_SIZE];
    }

    /** A chunk's array and its slot in {@link #chunks}. */
    private static long chunkCost(int chunkSize) {
        return MemoryCost.byteArray(chunkSize) + MemoryCost.REFERENCE;
    }

    /** Appends {@code [from, from+len)} (offsets from the oldest unacknowledged byte) to {@code packet} as slices. */
    void sliceInto(PacketBuffer packet, int from, int len) {
        foldRange(from, len, packet, 0, SendBuffer::appendSlice);
    }

    private static int appendSlice(PacketBuffer packet, int unused, byte[] chunk, int off, int n) {
        packet.appendSlice(chunk, off, n);
        return 0;
    }

    /** Copies {@code [from, from+len)} (offsets from the oldest unacknowledged byte) into {@code dst} at {@code dstOff}. */
    void copyTo(int from, byte[] dst, int dstOff, int len) {
        foldRange(from, len, dst, dstOff, SendBuffer::copyRange);
    }

    private static int copyRange(byte[] dst, int dstAt, byte[] chunk, int off, int n) {
        System.arraycopy(chunk, off, dst, dstAt, n);
        return dstAt + n;
    }

    /** How many chunks {@code [from, from+len)} lies in: the slices {@link #sliceInto} appends. */
    int chunksSpanned(int from, int len) {
        return foldRange(from, len, null, 0, (unused, chunks, chunk, off, n) -> chunks + 1);
    }

    /** Folds one chunk's part of a range into {@code acc}. */
    @FunctionalInterface
    private interface ChunkFolder<C> {
        int fold(C context, int acc, byte[] chunk, int offset, int length);
    }

    /**
     * Folds the chunk parts of {@code [from, from+len)}, in order, into an int; with the state in
     * {@code context} and a method reference or non-capturing lambda, nothing is allocated per
     * call. Walks the chunks by index, as an iterator would be an object per segment.
     */
    private <C> int foldRange(int from, int len, C context, int initial, ChunkFolder<C> folder) {
        if (from < 0 || len < 0 || from + len > size) {
            throw new IndexOutOfBoundsException("range " + from + "+" + len + " of " + size);
        }
        int acc = initial;
        int skip = from + headOffset;
        int last = chunkCount - 1;
        for (int i = 0; i <= last && len > 0; i++) {
            byte[] chunk = chunk(i);
            int chunkBytes = i == last ? tailFill : chunk.length;
            if (skip >= chunkBytes) {
                skip -= chunkBytes;
                continue;
            }
            int n = Math.min(len, chunkBytes - skip);
            acc = folder.fold(context, acc, chunk, skip, n);
            len -= n;
            skip = 0;
        }
        return acc;
    }

    /** Drops the oldest {@code n} bytes (they were acknowledged). */
    void dropAcknowledged(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("drop " + n + " of " + size);
        }
        size -= n;
        headOffset += n;
        // A chunk goes once all of its capacity is acknowledged; a partly filled tail chunk stays to be filled.
        while (chunkCount > 0 && headOffset >= chunk(0).length) {
            byte[] chunk = removeFirstChunk();
            headOffset -= chunk.length;
            release(chunk);
            if (chunkPool != null) {
                chunkPool.give(chunk); // every segment that sliced it has been written out (a small one is not taken)
            }
        }
        if (chunkCount == 0) {
            headOffset = 0;
            tailFill = 0;
        }
    }

    /** Drops every byte: the connection ended, and no segment will be sent from this buffer again. */
    void clear() {
        while (chunkCount > 0) {
            release(removeFirstChunk());
        }
        size = 0;
        headOffset = 0;
        tailFill = 0;
    }

    /**
     * Drops the chunk ring of an emptied buffer that takes no more writes (a closed connection in
     * TIME-WAIT): it would otherwise stay at its largest for 2·MSL. Under the lock.
     */
    void releaseRing() {
        if (chunkCount == 0) {
            chunks = NO_CHUNKS;
            firstChunk = 0;
        }
    }

    private void release(byte[] chunk) {
        long cost = chunkCost(chunk.length);
        trueSize -= cost;
        memory.release(cost);
    }

    /** The {@code i}-th oldest chunk. */
    private byte[] chunk(int i) {
        return chunks[(firstChunk + i) & (chunks.length - 1)];
    }

    private byte[] lastChunk() {
        return chunk(chunkCount - 1);
    }

    private void addChunk(byte[] chunk) {
        if (chunkCount == chunks.length) {
            byte[][] grown = new byte[Math.max(4, 2 * chunks.length)][];
            for (int i = 0; i < chunkCount; i++) {
                grown[i] = chunk(i);
            }
            chunks = grown;
            firstChunk = 0;
        }
        chunks[(firstChunk + chunkCount) & (chunks.length - 1)] = chunk;
        chunkCount++;
    }

    private byte[] removeFirstChunk() {
        byte[] chunk = chunks[firstChunk];
        chunks[firstChunk] = null; // the ring must not keep a dropped chunk reachable
        firstChunk = (firstChunk + 1) & (chunks.length - 1);
        chunkCount--;
        return chunk;
    }
}
