package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes written by the application and not yet acknowledged, in chunks. A byte, once written,
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
 * Not thread-safe: the endpoint guards it with its buffer lock.
 */
final class SendBuffer {
    static final int CHUNK_SIZE = 16 * 1024;
    /** The chunk a buffer may have whatever TCP memory holds, up to its floor ceiling. */
    static final int MIN_CHUNK_SIZE = 4 * 1024;
    /** What that chunk is charged. */
    static final long FLOOR_COST = chunkCost(MIN_CHUNK_SIZE);

    private final TcpMemory memory;
    /** True cost of the chunks held, charged to {@link #memory}. */
    private long trueSize;
    /** Made at the first byte written: an idle connection's empty buffer holds none. */
    private ArrayDeque<byte[]> chunks;
    /** Where acknowledged chunks go and new ones come from, or null: see {@link #reuseChunks}. */
    private ArrayPool chunkPool;
    /** Bytes of the first chunk already acknowledged (dropped). */
    private int headOffset;
    /** Bytes filled in the last chunk. */
    private int tailFill;
    private int size;

    SendBuffer(TcpMemory memory) {
        this.memory = memory;
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
        if (!holdsChunks()) {
            return !starved();
        }
        return tailFill < chunks.peekLast().length || memory.used() + chunkCost(CHUNK_SIZE) <= memory.queueThreshold();
    }

    /**
     * True if this buffer holds nothing and TCP memory has no room even for its floor: no
     * acknowledgement of its own will make room, only other connections giving memory back.
     */
    boolean starved() {
        return !holdsChunks() && memory.exhausted();
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
            if (!holdsChunks() || tailFill == chunks.peekLast().length) {
                byte[] chunk = newChunk();
                if (chunk == null) {
                    break;
                }
                if (chunks == null) {
                    chunks = new ArrayDeque<>(1);
                }
                chunks.addLast(chunk);
                tailFill = 0;
            }
            int n = Math.min(remaining, chunks.peekLast().length - tailFill);
            src.get(chunks.peekLast(), tailFill, n);
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
        if (holdsChunks() || !memory.tryCharge(FLOOR_COST, memory.floorCeiling())) {
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
        if (from < 0 || len < 0 || from + len > size) {
            throw new IndexOutOfBoundsException("slice " + from + "+" + len + " of " + size);
        }
        if (len == 0) {
            return;
        }
        int skip = from + headOffset;
        for (byte[] chunk : chunks) {
            if (len == 0) {
                break;
            }
            int chunkBytes = chunk == chunks.peekLast() ? tailFill : chunk.length;
            if (skip >= chunkBytes) {
                skip -= chunkBytes;
                continue;
            }
            int n = Math.min(len, chunkBytes - skip);
            packet.appendSlice(chunk, skip, n);
            len -= n;
            skip = 0;
        }
    }

    /** Drops the oldest {@code n} bytes (they were acknowledged). */
    void dropAcknowledged(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("drop " + n + " of " + size);
        }
        size -= n;
        headOffset += n;
        // A chunk goes once all of its capacity is acknowledged; a partly filled tail chunk stays to be filled.
        while (holdsChunks() && headOffset >= chunks.peekFirst().length) {
            byte[] chunk = chunks.pollFirst();
            headOffset -= chunk.length;
            release(chunk);
            if (chunkPool != null) {
                chunkPool.give(chunk); // every segment that sliced it has been written out (a small one is not taken)
            }
        }
        if (!holdsChunks()) {
            headOffset = 0;
            tailFill = 0;
        }
    }

    /** Drops every byte: the connection ended, and no segment will be sent from this buffer again. */
    void clear() {
        while (holdsChunks()) {
            release(chunks.pollFirst());
        }
        size = 0;
        headOffset = 0;
        tailFill = 0;
    }

    private boolean holdsChunks() {
        return chunks != null && !chunks.isEmpty();
    }

    private void release(byte[] chunk) {
        long cost = chunkCost(chunk.length);
        trueSize -= cost;
        memory.release(cost);
    }
}
