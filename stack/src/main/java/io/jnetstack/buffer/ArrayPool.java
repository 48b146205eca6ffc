package io.jnetstack.buffer;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A bounded pool of byte arrays of one length, shared between threads. An array is given back
 * only by its single owner once nothing else references it (see {@link PacketBuffer#flatten(ArrayPool)}
 * and {@link PacketBuffer#takePooledFront()}); arrays beyond the bound are left to the collector.
 */
public final class ArrayPool {
    private final int arrayLength;
    private final ArrayBlockingQueue<byte[]> free;

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

    /** A spare array, or a new one; its contents are unspecified. */
    public byte[] take() {
        byte[] a = free.poll();
        return a != null ? a : new byte[arrayLength];
    }

    /** Returns {@code array}, which the caller owns and nothing references any more. */
    public void give(byte[] array) {
        if (array.length == arrayLength) {
            free.offer(array);
        }
    }

    /** Spare arrays held now. */
    public int spareArrays() {
        return free.size();
    }
}
