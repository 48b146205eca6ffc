package io.jnetstack.buffer;

/**
 * A limit on heap that several holders share, charged at true cost ({@link MemoryCost}): a holder
 * charges what it keeps before keeping it and releases it once let go. Thread-safe.
 */
public interface MemoryAccount {
    /** Charges {@code bytes} if the account has room for them; false, charging nothing, otherwise. */
    boolean tryCharge(long bytes);

    /** Gives back {@code bytes} charged earlier. */
    void release(long bytes);
}
