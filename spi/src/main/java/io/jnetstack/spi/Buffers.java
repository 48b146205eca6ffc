package io.jnetstack.spi;

import java.nio.ByteBuffer;

/** Arithmetic over the slices of a scatter/gather call. */
final class Buffers {
    private Buffers() {
    }

    static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
