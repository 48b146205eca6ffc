package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * The bytes between a pipe's sink and source: a bounded ring under one lock, with a waiter queue
 * for each end. Writing fires IN on the source's queue; reading fires OUT on the sink's; closing
 * either end wakes both.
 */
final class PipeBuffer {
    /** Linux's default pipe capacity, which the JDK's pipe(2)-based Pipe has. */
    static final int CAPACITY = 65536;

    private final byte[] ring = new byte[CAPACITY];
    private final WaiterQueue sourceWaiters = new WaiterQueue();
    private final WaiterQueue sinkWaiters = new WaiterQueue();
    private int head;
    private int count;
    private boolean sourceClosed;
    private boolean sinkClosed;

    WaiterQueue sourceWaiters() {
        return sourceWaiters;
    }

    WaiterQueue sinkWaiters() {
        return sinkWaiters;
    }

    /** Bytes read into {@code dsts}, 0 if none are buffered, -1 once the sink is closed and all are read. */
    long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = 0;
        synchronized (this) {
            if (sourceClosed) {
                throw new ClosedChannelException();
            }
            if (count == 0) {
                return sinkClosed ? -1 : 0;
            }
            for (int i = offset; i < offset + length && count > 0; i++) {
                n += take(dsts[i]);
            }
        }
        if (n > 0) {
            sinkWaiters.notify(Events.OUT);
        }
        return n;
    }

    private int take(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), count);
        int first = Math.min(n, CAPACITY - head);
        dst.put(ring, head, first);
        dst.put(ring, 0, n - first);
        head = (head + n) % CAPACITY;
        count -= n;
        return n;
    }

    /** Bytes taken from {@code srcs}: as many as there is room for, possibly none. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        synchronized (this) {
            if (sinkClosed) {
                throw new ClosedChannelException();
            }
            if (sourceClosed) {
                throw new IOException("Broken pipe");
            }
            for (int i = offset; i < offset + length && count < CAPACITY; i++) {
                n += put(srcs[i]);
            }
        }
        if (n > 0) {
            sourceWaiters.notify(Events.IN);
        }
        return n;
    }

    private int put(ByteBuffer src) {
        int n = Math.min(src.remaining(), CAPACITY - count);
        int tail = (head + count) % CAPACITY;
        int first = Math.min(n, CAPACITY - tail);
        src.get(ring, tail, first);
        src.get(ring, 0, n - first);
        count += n;
        return n;
    }

    /** True when a read would not block: bytes are buffered, or the sink is closed (EOF), or the source is. */
    synchronized boolean readable() {
        return count > 0 || sinkClosed || sourceClosed;
    }

    /** True when a write would not block: there is room, or it would fail at once. */
    synchronized boolean writable() {
        return count < CAPACITY || sourceClosed || sinkClosed;
    }

    void closeSource() {
        synchronized (this) {
            sourceClosed = true;
        }
        wakeBothEnds();
    }

    void closeSink() {
        synchronized (this) {
            sinkClosed = true;
        }
        wakeBothEnds();
    }

    private void wakeBothEnds() {
        sourceWaiters.notify(Events.IN | Events.HUP);
        sinkWaiters.notify(Events.OUT | Events.HUP);
    }
}
