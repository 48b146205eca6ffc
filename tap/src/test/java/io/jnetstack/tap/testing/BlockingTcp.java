package io.jnetstack.tap.testing;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.waiter.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Blocking calls over jnetstack's non-blocking {@link TcpEndpoint}, for tests on a stack that runs
 * on real threads: each call waits on the endpoint's waiter queue, as an application would, and
 * gives up after its timeout.
 */
public final class BlockingTcp {
    /** Bytes moved per read or write call. */
    private static final int CHUNK = 64 * 1024;

    private BlockingTcp() {
    }

    /** Binds {@code port} on every address and listens. */
    public static TcpEndpoint listen(TcpProtocol tcp, int port) throws IOException {
        TcpEndpoint listener = tcp.newEndpoint();
        listener.bind(IpAddress.IPV4_ANY, port);
        listener.listen(8);
        return listener;
    }

    /** The next connection {@code listener} completes, waiting at most {@code timeout} for it. */
    public static TcpEndpoint accept(TcpEndpoint listener, Duration timeout) throws InterruptedException {
        TcpEndpoint[] accepted = new TcpEndpoint[1];
        Await.until(listener.waiterQueue(), Events.IN, () -> (accepted[0] = listener.accept()) != null,
                timeout, "a connection to accept on port " + listener.localPort());
        return accepted[0];
    }

    /** A connection to {@code remote}:{@code port}, established within {@code timeout}, or its error thrown. */
    public static TcpEndpoint connect(TcpProtocol tcp, IpAddress remote, int port, Duration timeout)
            throws IOException, InterruptedException {
        TcpEndpoint endpoint = tcp.newEndpoint();
        endpoint.connect(remote, port);
        Await.until(endpoint.waiterQueue(), Events.OUT | Events.ERR,
                () -> endpoint.readiness(Events.OUT | Events.ERR) != 0, timeout, "connect to " + remote + ":" + port);
        IOException failure = endpoint.getAndClearError();
        if (failure != null) {
            endpoint.close();
            throw failure;
        }
        return endpoint;
    }

    /**
     * Connects to a server that another process is starting: a refusal only means it does not
     * listen yet, so the attempt is repeated until {@code timeout} (each one waits for the kernel's
     * answer, so the retries are paced by round trips, not by sleeping). Only time bounds it: a
     * refusal takes a tenth of a millisecond, and a loaded machine may take seconds to start the
     * server, so any count of attempts would run out first.
     */
    public static TcpEndpoint connectOnceListening(TcpProtocol tcp, IpAddress remote, int port, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return connect(tcp, remote, port, remaining(deadline));
            } catch (ConnectException refused) {
                if (System.nanoTime() >= deadline) {
                    throw new ConnectException("nothing listened on " + remote + ":" + port + " within " + timeout
                            + " (" + attempt + " attempts): " + refused.getMessage());
                }
            }
        }
    }

    /** Waits until the connection is CLOSED (both FINs acknowledged, no TIME-WAIT on this side, or reset). */
    public static void awaitClosed(TcpEndpoint endpoint, Duration timeout) throws InterruptedException {
        // Entering CLOSED fires every event; the ones before it (HUP, OUT) make the condition be re-checked.
        Await.until(endpoint.waiterQueue(), Events.ALL, () -> endpoint.state() == TcpState.CLOSED, timeout,
                "connection " + endpoint + " to close");
    }

    /** Writes all of {@code data}, waiting for send-buffer room as needed. */
    public static void writeAll(TcpEndpoint endpoint, byte[] data, Duration timeout)
            throws IOException, InterruptedException {
        ByteBuffer src = ByteBuffer.wrap(data);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (src.hasRemaining()) {
            if (endpoint.write(src) == 0) {
                Await.until(endpoint.waiterQueue(), Events.OUT | Events.ERR,
                        () -> endpoint.readiness(Events.OUT | Events.ERR) != 0,
                        remaining(deadline), "room in the send buffer");
            }
        }
    }

    /** Reads until end of stream and returns everything read; fails beyond {@code limit} bytes. */
    public static byte[] readToEnd(TcpEndpoint endpoint, int limit, Duration timeout)
            throws IOException, InterruptedException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        readUntil(endpoint, received, limit, timeout, () -> false);
        return received.toByteArray();
    }

    /**
     * Reads until the bytes read so far end with {@code terminator} (an HTTP request's blank line,
     * say) and returns them; fails at end of stream or beyond {@code limit} bytes.
     */
    public static byte[] readThrough(TcpEndpoint endpoint, byte[] terminator, int limit, Duration timeout)
            throws IOException, InterruptedException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean ended = readUntil(endpoint, received, limit, timeout, () -> endsWith(received.toByteArray(), terminator));
        if (ended) {
            throw new AssertionError("the stream ended before its terminator; got: " + received);
        }
        return received.toByteArray();
    }

    /** Reads into {@code received} until {@code done} holds (false) or the stream ends (true). */
    private static boolean readUntil(TcpEndpoint endpoint, ByteArrayOutputStream received, int limit, Duration timeout,
                                     BooleanSupplier done) throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            buffer.clear();
            int n = endpoint.read(buffer);
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                Await.until(endpoint.waiterQueue(), Events.IN | Events.ERR | Events.HUP,
                        () -> endpoint.readiness(Events.IN | Events.ERR | Events.HUP) != 0,
                        remaining(deadline), "data to read");
                continue;
            }
            received.write(buffer.array(), 0, n);
            if (received.size() > limit) {
                throw new AssertionError("read more than " + limit + " bytes");
            }
        }
        return false;
    }

    private static boolean endsWith(byte[] data, byte[] suffix) {
        if (data.length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (data[data.length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The time left before {@code deadline} (a System.nanoTime value); at least a nanosecond, so Await reports the timeout. */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
