package io.jnetstack.buffer;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded pool of byte arrays of one length, shared between threads. An array is given back
 * only by its single owner once nothing else references it (see {@link PacketBuffer#flatten(ArrayPool)}
 * and {@link PacketBuffer#takePooledFront()}); arrays beyond the bound are left to the collector.
 */
public final class ArrayPool {
    private final int arrayLength;
    private final ArrayBlockingQueue<byte[]> free;
    /** Arrays {@link #take()} had to allocate because no spare was left. */
    private final LongAdder created = new LongAdder();
    /** Arrays owners gave back, kept as spares or, beyond the bound, left to the collector. */
    private final LongAdder givenBack = new LongAdder();

    /** A pool of at most {@code maxArrays} spare arrays of {@code arrayLength} bytes. */
    public ArrayPool(int arrayLength, int maxArrays) {
        if (arrayLength < 1 || maxArrays < 1) {
            throw new IllegalArgumentException("arrayLength=" + arrayLength + " maxArrays=" + maxArrays);
        }
        this.arrayLength = arrayLength;
        this.free = new ArrayBlockingQueue<>(maxArrays);
    }

    /** Length of every array of this pool. */
    public int arrayLength() {
        return arrayLength;
    }

    /**
     * Whether {@code length} bytes belong in one of this pool's arrays: they fit, and fill at least
     * half of it, so a pooled array never holds a few bytes (smaller data gets an array of its own).
     */
    public boolean suits(int length) {
        return length <= arrayLength && length >= arrayLength / 2;
    }

    /** A spare array, or a new one; its contents are unspecified. */
    public byte[] take() {
        byte[] a = free.poll();
        if (a != null) {
            return a;
        }
        created.increment();
        return new byte[arrayLength];
    }

    /** Returns {@code array}, which the caller owns and nothing references any more. */
    public void give(byte[] array) {
        if (array.length == arrayLength) {
            givenBack.increment();
            free.offer(array);
        }
    }

    /** Arrays allocated so far because no spare was left: how well the pool is reused. */
    public long arraysCreated() {
        return created.sum();
    }

    /** Arrays given back so far (spares beyond the bound included). */
    public long arraysGivenBack() {
        return givenBack.sum();
    }

    /** Spare arrays held now. */
    public int spareArrays() {
        return free.size();
    }
}
