package io.jnetstack.transport.tcp;

import io.jnetstack.buffer.MemoryAccount;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap all of a stack's TCP connections may hold in their send buffers, receive buffers and
 * out-of-order queues, charged at true cost: Linux's {@code tcp_mem}, in bytes instead of pages.
 *
 * <p>Three levels, as fractions of the {@linkplain #limit() limit}:
 * <ul>
 *   <li>up to {@linkplain #queueThreshold() half}, send buffers and out-of-order queues may grow:
 *       data the application cannot read yet, or the peer has not taken yet, never takes more;
 *   <li>above {@linkplain #underPressure() three quarters} TCP is under pressure: windows are
 *       advertised small and auto-tuning stops, so every connection, new ones too, gets by on
 *       little (as Linux's {@code tcp_mem[1]});
 *   <li>at the limit, in-order received data is refused too (the peer sends it again).
 * </ul>
 * Each connection may hold a floor ({@link SendBuffer#MIN_CHUNK_SIZE} of send buffer, one segment
 * of receive buffer), as Linux's {@code tcp_wmem[0]} and {@code tcp_rmem[0]}, even past the limit,
 * so that no connection stalls while others hold the memory; but only up to the
 * {@linkplain #floorCeiling() floor ceiling}, an eighth past the limit, as Linux grants them only
 * below {@code tcp_mem[2]}: however many connections peers open and pin, TCP memory stays below
 * that ceiling, give or take a segment per processor charging at the same moment. When not even a
 * floor is left, TCP memory is {@linkplain #exhausted() exhausted} and listeners drop new
 * connections (the client retries).
 *
 * <p>Spare arrays that pools keep for reuse (send-buffer chunks, loopback frames) are charged here
 * too, through {@link #spareArrays()}: at most a {@linkplain #spareArraysLimit() sixteenth} of the
 * limit, and a spare is kept only while TCP holds less than the queue threshold, so that with a
 * small heap the pools never take the room connections need. Thread-safe.
 */
public final class TcpMemory {
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong spareBytes = new AtomicLong();
    private final MemoryAccount spareArrays = new MemoryAccount() {
        @Override
        public boolean tryCharge(long bytes) {
            long now;
            do {
                now = spareBytes.get();
                if (now + bytes > spareArraysLimit()) {
                    return false;
                }
            } while (!spareBytes.compareAndSet(now, now + bytes));
            if (TcpMemory.this.tryCharge(bytes, queueThreshold())) {
                return true;
            }
            spareBytes.addAndGet(-bytes);
            return false;
        }

        @Override
        public void release(long bytes) {
            spareBytes.addAndGet(-bytes);
            TcpMemory.this.release(bytes);
        }
    };

    public TcpMemory(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("TCP memory limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** Bytes charged now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    /** Where pools charge the spare arrays they keep (see the class comment). */
    public MemoryAccount spareArrays() {
        return spareArrays;
    }

    /** The most that pools' spare arrays may take: a sixteenth of the limit. */
    public long spareArraysLimit() {
        return limit / 16;
    }

    /** Bytes charged now for pools' spare arrays (part of {@link #used()}). */
    public long spareArraysUsed() {
        return spareBytes.get();
    }

    /** Send buffers and out-of-order queues stop growing here. */
    public long queueThreshold() {
        return limit / 2;
    }

    /** True above three quarters of the limit. */
    public boolean underPressure() {
        return used.get() > limit / 4 * 3;
    }

    /** True when not even a send buffer's floor can be had: no new connection is made then. */
    public boolean exhausted() {
        return used.get() + SendBuffer.FLOOR_COST > floorCeiling();
    }

    /** How far the floors may take TCP memory: an eighth past the limit. */
    public long floorCeiling() {
        return limit + limit / 8;
    }

    /** Charges {@code bytes} if the total stays within {@code ceiling}; false, charging nothing, otherwise. */
    boolean tryCharge(long bytes, long ceiling) {
        long now;
        do {
            now = used.get();
            if (now + bytes > ceiling) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Charges {@code bytes} whatever the total: for what the caller found room for (see {@link #floorCeiling}). */
    void charge(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    @Override
    public String toString() {
        return "TcpMemory[used=" + used() + ", spareArrays=" + spareArraysUsed() + ", limit=" + limit + "]";
    }
}
