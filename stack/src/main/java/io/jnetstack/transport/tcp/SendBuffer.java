package io.jnetstack.transport.tcp;

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
 * that thread handled the acknowledgement. Such chunks are kept and refilled instead of allocating
 * new ones, as long as the buffer holds no more chunks than a full send buffer would, and at most
 * {@link #MAX_IDLE_SPARE_CHUNKS} once everything is acknowledged. On any other route a chunk is
 * never rewritten.
 * Not thread-safe: the endpoint guards it with its buffer lock.
 */
final class SendBuffer {
    private static final int CHUNK_SIZE = 16 * 1024;
    /** Acknowledged chunks kept for reuse once everything is acknowledged: one 64 KiB write's worth. */
    static final int MAX_IDLE_SPARE_CHUNKS = 4;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Acknowledged chunks nothing references any more, to refill; only when {@link #reuseChunks}. */
    private ArrayDeque<byte[]> spare; // created with the first spare chunk

    private boolean reuseChunks;

    /** Bytes of the first chunk already acknowledged (dropped). */
    private int headOffset;
    /** Bytes filled in the last chunk. */
    private int tailFill;
    private int size;

    int size() {
        return size;
    }

    /**
     * Lets acknowledged chunks be refilled: only for a route whose {@code writePacket} is done with
     * the slices when it returns. Set before the endpoint is published.
     */
    void reuseChunks(boolean reuse) {
        reuseChunks = reuse;
        if (!reuse) {
            spare = null;
        }
    }

    /** Acknowledged chunks held for reuse (for tests). */
    int spareChunks() {
        return spare == null ? 0 : spare.size();
    }

    /** Copies up to {@code max} bytes from {@code src}; returns the number copied. */
    int append(ByteBuffer src, int max) {
        int remaining = Math.min(max, src.remaining());
        int copied = 0;
        while (remaining > 0) {
            if (chunks.isEmpty() || tailFill == CHUNK_SIZE) {
                byte[] chunk = spare == null ? null : spare.pollFirst();
                chunks.addLast(chunk != null ? chunk : new byte[CHUNK_SIZE]);
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
        dropAcknowledged(n, 0);
    }

    /**
     * Drops the oldest {@code n} bytes (they were acknowledged), keeping freed chunks for reuse as
     * long as this buffer holds no more chunks than {@code capacity} bytes fill (plus a partial one).
     */
    void dropAcknowledged(int n, int capacity) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("drop " + n + " of " + size);
        }
        size -= n;
        headOffset += n;
        // A chunk goes once all of its capacity is acknowledged; a partly filled tail chunk stays to be filled.
        while (!chunks.isEmpty() && headOffset >= CHUNK_SIZE) {
            byte[] chunk = chunks.pollFirst();
            headOffset -= CHUNK_SIZE;
            if (reuseChunks && (long) (chunks.size() + spareChunks()) * CHUNK_SIZE < capacity) {
                if (spare == null) {
                    spare = new ArrayDeque<>();
                }
                spare.addLast(chunk);
            }
        }
        if (size == 0 && spare != null) {
            while (spare.size() > MAX_IDLE_SPARE_CHUNKS) {
                spare.pollLast();
            }
        }
        if (chunks.isEmpty()) {
            headOffset = 0;
            tailFill = 0;
        }
    }
}
