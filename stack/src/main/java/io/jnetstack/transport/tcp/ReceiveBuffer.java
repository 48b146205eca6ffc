package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.ArrayPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * In-order bytes waiting for the application. Ranges of received packets are held by reference
 * (an inbound packet is owned by the endpoint once delivered), so the only receive-side copy is
 * the one into the application's buffer. Not thread-safe: the endpoint guards it with its lock.
 */
final class ReceiveBuffer {
    /** {@code pool}, if not null, gets {@code array} back once the range has been read. */
    private record Range(byte[] array, int offset, int length, ArrayPool pool) {
    }

    private final ArrayDeque<Range> ranges = new ArrayDeque<>();
    /** Bytes of the first range already read. */
    private int headConsumed;
    private int size;

    int size() {
        return size;
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
        if (len > 0) {
            ranges.addLast(new Range(array, off, len, pool));
            size += len;
        }
    }

    /** Adds a copy of {@code len} bytes of {@code array} at {@code off} (for arrays the caller reuses). */
    void appendCopy(byte[] array, int off, int len) {
        append(java.util.Arrays.copyOfRange(array, off, off + len), 0, len);
    }

    /** Copies up to {@code dst.remaining()} bytes into {@code dst}; removes them unless {@code peek}. */
    int read(ByteBuffer dst, boolean peek) {
        int copied = 0;
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

    private void consume(int n) {
        size -= n;
        headConsumed += n;
        while (!ranges.isEmpty() && headConsumed >= ranges.peekFirst().length) {
            Range done = ranges.pollFirst();
            headConsumed -= done.length;
            if (done.pool != null) {
                done.pool.give(done.array); // copied out: nothing references it any more
            }
        }
    }
}
