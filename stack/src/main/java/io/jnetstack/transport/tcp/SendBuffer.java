package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.PacketBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes written by the application and not yet acknowledged, in chunks. A byte, once written,
 * never changes, so outbound segments reference chunks as {@link PacketBuffer} slices instead of
 * copying them: the application's copy into this buffer is the only copy on the send side.
 * Not thread-safe: the endpoint guards it with its buffer lock.
 */
final class SendBuffer {
    private static final int CHUNK_SIZE = 16 * 1024;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already acknowledged (dropped). */
    private int headOffset;
    /** Bytes filled in the last chunk. */
    private int tailFill;
    private int size;

    int size() {
        return size;
    }

    /** Copies up to {@code max} bytes from {@code src}; returns the number copied. */
    int append(ByteBuffer src, int max) {
        int remaining = Math.min(max, src.remaining());
        int copied = 0;
        while (remaining > 0) {
            if (chunks.isEmpty() || tailFill == CHUNK_SIZE) {
                chunks.addLast(new byte[CHUNK_SIZE]);
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
            chunks.pollFirst();
            headOffset -= CHUNK_SIZE;
        }
        if (chunks.isEmpty()) {
            headOffset = 0;
            tailFill = 0;
        }
    }
}
