package io.jnetstack.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection as the workloads use it, whatever carries it (a NIO channel, a stack
 * endpoint). A transport supplies reads and writes that may do nothing (non-blocking) and ways to
 * wait until they can do something; the loops the workloads need are written here once.
 */
interface ByteStream extends Closeable {
    /** Bytes read, 0 if none are ready yet, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Bytes written, 0 if there is no room yet. */
    int write(ByteBuffer src) throws IOException;

    /** Returns once a read would not return 0 (at once for a blocking transport, whose reads wait). */
    void awaitReadable() throws IOException;

    /** Returns once a write would not return 0 (at once for a blocking transport). */
    void awaitWritable() throws IOException;

    /** Half-close: the peer sees end of stream, and this side may still read. */
    void shutdownOutput() throws IOException;

    default void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (write(src) == 0) {
                awaitWritable();
            }
        }
    }

    /**
     * Fills {@code dst}; returns false if the stream ended before the first byte, and fails if it
     * ended part-way. {@code answerPending}: the caller has just sent a request, so the answer is
     * not there yet and a read now would only return 0; wait for readiness first.
     */
    default boolean readFully(ByteBuffer dst, boolean answerPending) throws IOException {
        int start = dst.position();
        if (answerPending) {
            awaitReadable();
        }
        while (dst.hasRemaining()) {
            int n = read(dst);
            if (n < 0) {
                if (dst.position() == start) {
                    return false;
                }
                throw new EOFException("stream ended after " + (dst.position() - start) + " of "
                        + (dst.limit() - start) + " bytes");
            }
            if (n == 0) {
                awaitReadable();
            }
        }
        return true;
    }

    /** Reads and discards until end of stream. */
    default void drainToEnd(ByteBuffer scratch) throws IOException {
        while (true) {
            awaitReadable();
            scratch.clear();
            if (read(scratch) < 0) {
                return;
            }
        }
    }

    /** Opens connections to the benchmark server's two ports. */
    @FunctionalInterface
    interface Connector extends AutoCloseable {
        /** A connection to the data port ({@code bulk}, {@code rr}) or the connect port ({@code cc}). */
        ByteStream connect(boolean connectPort) throws IOException;

        /** Releases what the connector holds beyond its connections (nothing, unless overridden). */
        @Override
        default void close() throws IOException {
        }
    }
}
