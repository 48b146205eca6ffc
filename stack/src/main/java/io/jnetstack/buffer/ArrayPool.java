package io.jnetstack.buffer;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded pool of byte arrays of one length, shared between threads. An array is given back
 * only by its single owner once nothing else references it (see {@link PacketBuffer#flatten(ArrayPool)}
 * and {@link PacketBuffer#takePooledFront()}); arrays beyond the bound are left to the collector.
 * Spare arrays are heap like any other: {@linkplain #chargeTo charged to} a stack's memory limit, the
 * pool keeps one only while that limit has room for it.
 */
public final class ArrayPool {
    private final int arrayLength;
    private final ArrayBlockingQueue<byte[]> free;
    /** What a spare array costs the heap. */
    private final long arrayCost;
    /** Where spares are charged; null: nowhere, only the bound limits them. */
    private volatile MemoryAccount account;
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
        this.arrayCost = MemoryCost.byteArray(arrayLength);
    }

    /**
     * Charges every spare array this pool keeps to {@code account} from now on, so that the spares
     * count against the limit the account enforces and are not kept when it has no room. Once,
     * before the pool's first {@link #give}: spares kept uncharged could not be released from it.
     *
     * @throws IllegalStateException if the pool already charges another account or has had arrays given back
     */
    public synchronized void chargeTo(MemoryAccount account) {
        if (this.account == account) {
            return;
        }
        if (this.account != null || givenBack.sum() > 0) {
            throw new IllegalStateException("spare arrays are charged once, before the pool is used: " + this);
        }
        this.account = account;
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
            MemoryAccount charged = account;
            if (charged != null) {
                charged.release(arrayCost);
            }
            return a;
        }
        created.increment();
        return new byte[arrayLength];
    }

    /** Returns {@code array}, which the caller owns and nothing references any more. */
    public void give(byte[] array) {
        if (array.length != arrayLength) {
            return;
        }
        givenBack.increment();
        MemoryAccount charged = account;
        if (charged != null && !charged.tryCharge(arrayCost)) {
            return; // the limit has no room for a spare: the collector takes it
        }
        if (!free.offer(array) && charged != null) {
            charged.release(arrayCost);
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

    /** Heap bytes the spare arrays held now take, charged to the {@linkplain #chargeTo account} if any. */
    public long spareBytes() {
        return free.size() * arrayCost;
    }

    @Override
    public String toString() {
        return "ArrayPool[arrayLength=" + arrayLength + ", spares=" + free.size() + ", created=" + created.sum()
                + ", givenBack=" + givenBack.sum() + "]";
    }

    /** Spare arrays held now. */
    public int spareArrays() {
        return free.size();
    }
}
