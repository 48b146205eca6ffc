package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
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
 * Not thread-safe: the endpoint guards it with its buffer lock.
 */
final class SendBuffer {
    static final int CHUNK_SIZE = 16 * 1024;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Where acknowledged chunks go and new ones come from, or null: see {@link #reuseChunks}. */
    private ArrayPool chunkPool;
    /** Bytes of the first chunk already acknowledged (dropped). */
    private int headOffset;
    /** Bytes filled in the last chunk. */
    private int tailFill;
    private int size;

    int size() {
        return size;
    }

    /**
     * Takes chunks from and gives acknowledged ones to {@code pool} (of {@link #CHUNK_SIZE} arrays);
     * only for a route whose {@code writePacket} is done with the slices when it returns. Null
     * (the default) allocates every chunk. Set before the endpoint is published.
     */
    void reuseChunks(ArrayPool pool) {
        chunkPool = pool;
    }

    /** Copies up to {@code max} bytes from {@code src}; returns the number copied. */
    int append(ByteBuffer src, int max) {
        int remaining = Math.min(max, src.remaining());
        int copied = 0;
        while (remaining > 0) {
            if (chunks.isEmpty() || tailFill == CHUNK_SIZE) {
                chunks.addLast(chunkPool != null ? chunkPool.take() : new byte[CHUNK_SIZE]);
                tailFill = 0;
            }
            int n = Math.min(remaining, CHUNK_SIZE - tailFill);
            src.get(chunks.peekLast(), tailFill, n);
            tailFill += n;
            remaining -= n;
            copied += n;
        }
        size += copied;
        return copied;
    }

    /** Appends {@code [from, from+len)} (offsets from the oldest unacknowledged byte) to {@code packet} as slices. */
    void sliceInto(PacketBuffer packet, int from, int len) {
        if (from < 0 || len < 0 || from + len > size) {
            throw new IndexOutOfBoundsException("slice " + from + "+" + len + " of " + size);
        }
        int skip = from + headOffset;
        for (byte[] chunk : chunks) {
            if (len == 0) {
                break;
            }
            int chunkBytes = chunk == chunks.peekLast() ? tailFill : CHUNK_SIZE;
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
        while (!chunks.isEmpty() && headOffset >= CHUNK_SIZE) {
            byte[] chunk = chunks.pollFirst();
            headOffset -= CHUNK_SIZE;
            if (chunkPool != null) {
                chunkPool.give(chunk); // every segment that sliced it has been written out
            }
        }
        if (chunks.isEmpty()) {
            headOffset = 0;
            tailFill = 0;
        }
    }
}
