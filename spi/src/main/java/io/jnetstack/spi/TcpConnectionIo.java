package io.jnetstack.spi;

import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ConnectionPendingException;

/**
 * What a TCP channel does on its connection's endpoint, whichever way it waits (blocking, selected
 * or asynchronous): bind, scattering reads, gathering writes and the outcome of a connect. An error
 * that comes after a call already moved some bytes is kept for the next call, as read(2) and
 * write(2) return the count first; calls in one direction must not overlap (the channel's read or
 * write lock, or its one pending operation, sees to that).
 */
final class TcpConnectionIo {
    private final TcpEndpoint endpoint;
    private IOException deferredReadError;
    private IOException deferredWriteError;

    TcpConnectionIo(TcpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * A client channel's bind, with the JDK's checks after the channel's own check that it is open:
     * not while a connect is pending, not twice; the wildcard address and an ephemeral port for null.
     */
    void bind(SocketAddress local, boolean connectionPending) throws IOException {
        if (connectionPending) {
            throw new ConnectionPendingException();
        }
        if (endpoint.localAddress() != null) {
            throw new AlreadyBoundException();
        }
        InetSocketAddress isa = Addresses.forBind(local);
        SecurityChecks.checkListen(isa.getPort());
        endpoint.bind(Addresses.toStack(isa.getAddress()), isa.getPort());
    }

    /** Reads what is there now, scattered: bytes read, 0 if none, -1 at end of stream. */
    long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (deferredReadError != null) {
            IOException e = deferredReadError;
            deferredReadError = null;
            throw e;
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer dst = dsts[i];
            if (!dst.hasRemaining()) {
                continue;
            }
            int n;
            try {
                n = endpoint.read(dst);
            } catch (IOException e) {
                if (total == 0) {
                    throw e;
                }
                deferredReadError = e;
                return total;
            }
            if (n < 0) {
                return total > 0 ? total : -1;
            }
            total += n;
            if (dst.hasRemaining()) {
                break; // the receive buffer is drained
            }
        }
        return total;
    }

    /** Whether a write error is kept for the next write. */
    boolean hasDeferredWriteError() {
        return deferredWriteError != null;
    }

    /**
     * Writes what the send buffer takes now, gathered. An error after this call (with
     * {@code writtenBefore}, the earlier rounds of the same write) took some bytes is kept for the
     * next write.
     */
    long write(ByteBuffer[] srcs, int offset, int length, long writtenBefore) throws IOException {
        if (deferredWriteError != null) {
            IOException e = deferredWriteError;
            deferredWriteError = null;
            throw e;
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            if (!src.hasRemaining()) {
                continue;
            }
            try {
                total += endpoint.write(src);
            } catch (IOException e) {
                if (writtenBefore + total == 0) {
                    throw e;
                }
                deferredWriteError = e;
                return total;
            }
            if (src.hasRemaining()) {
                break; // the send buffer is full
            }
        }
        return total;
    }

    /** TRUE once the handshake completed; null while it runs; the failure's exception if it failed. */
    Boolean connectionOutcome() throws IOException {
        TcpState s = endpoint.state();
        if (s.isSynchronized()) {
            return Boolean.TRUE;
        }
        if (s == TcpState.CLOSED) {
            IOException failure = endpoint.getAndClearError();
            if (failure != null) {
                throw failure;
            }
            // CLOSED shows before the error is recorded; the notification after it wakes us again.
        }
        return null;
    }
}
