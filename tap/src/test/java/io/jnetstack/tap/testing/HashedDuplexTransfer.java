package io.jnetstack.tap.testing;

import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Both directions of one TCP connection at once, from one thread: sends a number of
 * pseudo-random bytes and then FIN, while reading whatever the peer sends until its FIN, hashing
 * each stream with SHA-256 so it can be compared with the peer's {@code sha256sum}. The thread
 * blocks on the endpoint's waiter queue whenever neither direction can move.
 */
public final class HashedDuplexTransfer {
    /** Bytes generated, written or read at a time; a multiple of 8 so it fills with whole longs. */
    private static final int CHUNK = 64 * 1024;
    /**
     * Wake-ups in a row after which neither direction moved. After a wake-up the endpoint reports
     * readiness, so the next read or write moves data; a long run of idle wake-ups means readiness
     * and read/write disagree, and the transfer would spin rather than fail.
     */
    private static final int MAX_IDLE_WAKEUPS = 1_000;

    /** What crossed the connection, as {@code sha256sum} prints digests (lower-case hex). */
    public record Result(long bytesSent, String sentSha256, long bytesReceived, String receivedSha256, Duration elapsed) {
        /** Bytes moved in both directions per second of the transfer, in MiB/s. */
        public double mibPerSecondEachWay() {
            double seconds = elapsed.toNanos() / 1e9;
            return Math.min(bytesSent, bytesReceived) / (1024.0 * 1024.0) / seconds;
        }
    }

    /** When this side sends its FIN. */
    public enum Fin {
        /** Right after the last byte. */
        AFTER_LAST_BYTE,
        /**
         * After the last byte and the peer's FIN: the peer closes first, so the peer's TIME-WAIT
         * and its ACK of our FIN end the connection, and our side sees the connection's last packet.
         */
        AFTER_PEERS_FIN
    }

    private final TcpEndpoint endpoint;
    private final Fin fin;
    private final SplittableRandom random;
    private final MessageDigest sentDigest = sha256();
    private final MessageDigest receivedDigest = sha256();
    private final ByteBuffer outgoing = ByteBuffer.allocate(CHUNK).limit(0);
    private final ByteBuffer incoming = ByteBuffer.allocate(CHUNK);
    private long ungenerated;
    private long received;
    private boolean outputShut;
    private boolean endOfInput;

    private HashedDuplexTransfer(TcpEndpoint endpoint, long bytesToSend, long seed, Fin fin) {
        this.endpoint = endpoint;
        this.fin = fin;
        this.random = new SplittableRandom(seed);
        this.ungenerated = bytesToSend;
    }

    /**
     * Sends {@code bytesToSend} bytes drawn from {@code seed}, then shuts the output down (when
     * {@code fin} says), while receiving until the peer's FIN; fails if both are not done within
     * {@code timeout}.
     */
    public static Result run(TcpEndpoint endpoint, long bytesToSend, long seed, Fin fin, Duration timeout)
            throws IOException, InterruptedException {
        return new HashedDuplexTransfer(endpoint, bytesToSend, seed, fin).run(bytesToSend, timeout);
    }

    private Result run(long bytesToSend, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int idleWakeups = 0;
        while (!(outputShut && endOfInput)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("transfer not done within " + timeout + ": " + progress(bytesToSend));
            }
            boolean moved = send() | receive();
            if (moved) {
                idleWakeups = 0;
                continue;
            }
            if (++idleWakeups > MAX_IDLE_WAKEUPS) {
                throw new AssertionError("readiness reported but nothing moved, " + MAX_IDLE_WAKEUPS + " times: "
                        + progress(bytesToSend));
            }
            boolean waitingToSend = !outputShut && (outgoing.hasRemaining() || ungenerated > 0);
            int wanted = (waitingToSend ? Events.OUT : 0) | (endOfInput ? 0 : Events.IN) | Events.ERR | Events.HUP;
            Await.until(endpoint.waiterQueue(), wanted, () -> endpoint.readiness(wanted) != 0,
                    BlockingTcp.remaining(deadline), "the connection to move data: " + progress(bytesToSend));
        }
        HexFormat hex = HexFormat.of();
        return new Result(bytesToSend, hex.formatHex(sentDigest.digest()), received,
                hex.formatHex(receivedDigest.digest()), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Writes what the send buffer takes; shuts the output down after the last byte. True if anything moved. */
    private boolean send() throws IOException {
        if (outputShut) {
            return false;
        }
        if (!outgoing.hasRemaining() && ungenerated > 0) {
            generateNextChunk();
        }
        int written = outgoing.hasRemaining() ? endpoint.write(outgoing) : 0;
        boolean allSent = !outgoing.hasRemaining() && ungenerated == 0;
        if (allSent && (fin == Fin.AFTER_LAST_BYTE || endOfInput)) {
            endpoint.shutdownOutput();
            outputShut = true;
            return true;
        }
        return written > 0;
    }

    /** The next chunk of the stream, hashed as it is made (every generated byte is sent). */
    private void generateNextChunk() {
        int length = (int) Math.min(CHUNK, ungenerated);
        outgoing.clear();
        while (outgoing.remaining() >= Long.BYTES) {
            outgoing.putLong(random.nextLong());
        }
        outgoing.limit(length).position(0);
        sentDigest.update(outgoing.array(), 0, length);
        ungenerated -= length;
    }

    /** Reads one chunk if any is ready; notes end of stream. True if anything moved. */
    private boolean receive() throws IOException {
        if (endOfInput) {
            return false;
        }
        incoming.clear();
        int n = endpoint.read(incoming);
        if (n < 0) {
            endOfInput = true;
            return true;
        }
        receivedDigest.update(incoming.array(), 0, n);
        received += n;
        return n > 0;
    }

    private String progress(long bytesToSend) {
        return "sent " + (bytesToSend - ungenerated - outgoing.remaining()) + " of " + bytesToSend
                + (outputShut ? " and FIN" : "") + ", received " + received + (endOfInput ? " and FIN" : "")
                + "; " + endpoint.info();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
