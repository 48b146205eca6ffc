package io.jnetstack.buffer;

/**
 * What holding an object costs the heap, like Linux's {@code skb->truesize}: the whole array (not
 * just the bytes in use) plus object headers and references. The figures are those of a 64-bit
 * JVM without compressed references (16-byte object and array headers, 8-byte references, sizes
 * rounded up to 8), which is at least what any HotSpot layout takes, so limits charged in these
 * units hold on every configuration.
 */
public final class MemoryCost {
    /** Header of an object or an array. */
    public static final int HEADER = 16;
    /** A reference field or array slot. */
    public static final int REFERENCE = 8;

    private MemoryCost() {
    }

    /** Heap bytes of a {@code byte[]} of {@code length} bytes. */
    public static long byteArray(int length) {
        return align(HEADER + (long) length);
    }

    /** Heap bytes of an object with {@code references} reference fields and {@code primitiveBytes} of other fields. */
    public static int object(int references, int primitiveBytes) {
        return (int) align(HEADER + (long) references * REFERENCE + primitiveBytes);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
