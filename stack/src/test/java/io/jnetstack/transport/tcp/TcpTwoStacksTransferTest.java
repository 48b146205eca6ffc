package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.fault.FaultyLink;
import io.jnetstack.testing.Ipv4OnlyCorruption;
import io.jnetstack.testing.TwoStacks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two stacks over a {@link io.jnetstack.link.PipeLink}, optionally through {@link FaultyLink}s:
 * a full connection, a bulk transfer in both directions at once, and a graceful close, with every
 * byte checked by SHA-256. Time is a manual clock advanced only when the wire is quiet.
 */
class TcpTwoStacksTransferTest {
    private static final int PORT = 5001;

    private static TwoStacks stacks(int mtu, FaultyLink.Faults faultsAtoB, FaultyLink.Faults faultsBtoA) {
        return stacks(mtu, faultsAtoB, faultsBtoA, 0);
    }

    /** Stacks whose links lose, reorder and duplicate per the faults, and corrupt IPv4 frames with {@code corruption}. */
    private static TwoStacks stacks(int mtu, FaultyLink.Faults faultsAtoB, FaultyLink.Faults faultsBtoA,
                                    double corruption) {
        return stacks(mtu, faultsAtoB, faultsBtoA, corruption, TcpConfig.defaults());
    }

    private static TwoStacks stacks(int mtu, FaultyLink.Faults faultsAtoB, FaultyLink.Faults faultsBtoA,
                                    double corruption, TcpConfig config) {
        return TwoStacks.builder().mtu(mtu).transport(() -> new TcpProtocol(config))
                .wrapA((link, clock) -> new FaultyLink(new Ipv4OnlyCorruption(link, corruption, 21, clock), faultsAtoB, clock))
                .wrapB((link, clock) -> new FaultyLink(new Ipv4OnlyCorruption(link, corruption, 22, clock), faultsBtoA, clock))
                .build();
    }

    private static TcpProtocol tcp(io.jnetstack.stack.Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    /** One direction of the transfer: what to send, what arrived, and their digests. */
    private static final class Stream {
        final byte[] data;
        int written;
        final MessageDigest received = sha256();
        long receivedBytes;
        boolean eof;

        Stream(int size, long seed) {
            data = new byte[size];
            new Random(seed).nextBytes(data);
        }

        /** Writes what the sender takes; shuts its output once everything is in. */
        boolean pushInto(TcpEndpoint sender) throws IOException {
            if (written == data.length) {
                return false;
            }
            int n = sender.write(ByteBuffer.wrap(data, written, data.length - written));
            written += n;
            if (written == data.length) {
                sender.shutdownOutput();
            }
            return n > 0;
        }

        boolean pullFrom(TcpEndpoint receiver, ByteBuffer scratch) throws IOException {
            boolean progress = false;
            while (!eof) {
                scratch.clear();
                int n = receiver.read(scratch);
                if (n == -1) {
                    eof = true;
                    return true;
                }
                if (n == 0) {
                    break;
                }
                received.update(scratch.array(), 0, n);
                receivedBytes += n;
                progress = true;
            }
            return progress;
        }

        void assertIntact() {
            assertEquals(data.length, receivedBytes, "bytes received");
            assertArrayEquals(sha256().digest(data), received.digest(), "SHA-256 of the received stream");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Connects A to B, moves {@code bytesEachWay} in both directions at once, closes both; returns A's endpoint. */
    private static TcpEndpoint transfer(TwoStacks s, int bytesEachWay, Duration limit) throws IOException {
        TcpEndpoint listener = tcp(s.b).newEndpoint();
        listener.bind(TwoStacks.ADDRESS_B, PORT);
        listener.listen(8);
        TcpEndpoint client = tcp(s.a).newEndpoint();
        client.connect(TwoStacks.ADDRESS_B, PORT);
        TcpEndpoint server = null;
        Stream up = new Stream(bytesEachWay, 1);
        Stream down = new Stream(bytesEachWay, 2);
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        long deadline = limit.toNanos();
        while (!(up.eof && down.eof)) {
            TcpEndpoint c = client;
            assertTrue(s.clock.nanoTime() < deadline, () -> "transfer ends within " + limit + " of stack time; "
                    + "up " + up.receivedBytes + " down " + down.receivedBytes + " client " + c.info());
            boolean progress = s.settle() > 0;
            if (server == null) {
                server = listener.accept();
            }
            if (server != null) {
                try {
                    progress |= up.pushInto(client);
                    progress |= down.pushInto(server);
                    progress |= up.pullFrom(server, scratch);
                    progress |= down.pullFrom(client, scratch);
                } catch (IOException e) {
                    throw new IOException("at " + s.clock.nanoTime() / 1e9 + " s: up " + up.receivedBytes + " down "
                            + down.receivedBytes + "\n client " + client.info() + "\n server " + server.info()
                            + "\n A " + counters(tcp(s.a)) + "\n B " + counters(tcp(s.b))
+ "\n stack A " + s.a.stats() + "\n stack B " + s.b.stats(), e);
                }
            }
            if (!progress && s.wire.pending() == 0) {
                s.advance(Duration.ofMillis(1)); // quiet wire: let timers (delayed ACK, RTO) run
            }
        }
        assertNotNull(server);
        up.assertIntact();
        down.assertIntact();
        client.close();
        server.close();
        s.advance(Duration.ofSeconds(61)); // past TIME-WAIT
        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(TcpState.CLOSED, server.state());
        assertEquals(bytesEachWay, client.info().bytesAcked(), "the client's bytes acknowledged");
        assertEquals(bytesEachWay, server.info().bytesReceived(), "the server's in-order bytes received");
        return client;
    }

    private static String counters(TcpProtocol p) {
        StringBuilder sb = new StringBuilder();
        for (TcpStats.Counter c : TcpStats.Counter.values()) {
            if (p.stats().get(c) != 0) {
                sb.append(c).append('=').append(p.stats().get(c)).append(' ');
            }
        }
        return sb.toString();
    }

    @Test
    void sixtyFourMebibytesCrossAPerfectPipeBothWaysAtMtu1500() throws IOException {
        try (TwoStacks s = stacks(1500, FaultyLink.Faults.NONE, FaultyLink.Faults.NONE)) {
            TcpEndpoint client = transfer(s, 64 << 20, Duration.ofSeconds(60));
            assertEquals(0, client.info().retransmittedSegments());
        }
    }

    @Test
    void sixtyFourMebibytesCrossAPerfectPipeBothWaysAtMtu65535() throws IOException {
        try (TwoStacks s = stacks(65535, FaultyLink.Faults.NONE, FaultyLink.Faults.NONE)) {
            TcpEndpoint client = transfer(s, 64 << 20, Duration.ofSeconds(60));
            assertEquals(0, client.info().retransmittedSegments());
        }
    }

    @Test
    void everyByteArrivesOnceInOrderThroughLossReorderingDuplicationAndCorruption() throws IOException {
        FaultyLink.Faults.Builder faults = FaultyLink.Faults.builder().loss(0.05).reordering(0.10).duplication(0.01);
        long start = System.nanoTime();
        try (TwoStacks s = stacks(1500, faults.seed(11).build(), faults.seed(12).build(), 0.001)) {
            TcpEndpoint client = transfer(s, 64 << 20, Duration.ofHours(1));
            System.out.printf("faulty transfer: %.1f s wall, %.1f s stack time%n client %s%n A %s%n B %s%n",
                    (System.nanoTime() - start) / 1e9, s.clock.nanoTime() / 1e9, client.info(),
                    counters(tcp(s.a)), counters(tcp(s.b)));
        }
    }

    @Test
    void newRenoWithoutSackOrTimestampsAlsoDeliversEveryByteThroughFaults() throws IOException {
        FaultyLink.Faults.Builder faults = FaultyLink.Faults.builder().loss(0.02).reordering(0.05).duplication(0.01);
        TcpConfig plain = TcpConfig.builder().sack(false).timestamps(false).congestionControl("newreno").build();
        try (TwoStacks s = stacks(1500, faults.seed(31).build(), faults.seed(32).build(), 0.001, plain)) {
            TcpEndpoint client = transfer(s, 8 << 20, Duration.ofHours(1));
            assertTrue(!client.info().sack() && !client.info().timestamps());
            System.out.printf("newreno transfer: %.1f s stack time%n A %s%n B %s%n", s.clock.nanoTime() / 1e9,
                    counters(tcp(s.a)), counters(tcp(s.b)));
        }
    }
}
