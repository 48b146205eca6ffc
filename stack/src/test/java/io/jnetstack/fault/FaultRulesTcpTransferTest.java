package io.jnetstack.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.NetworkDispatcher;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.tcp.TcpStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each fault rule on a real TCP transfer from stack A to stack B over a pipe, on the manual clock:
 * the rule sits in A's {@link Stack#faults()}, and the figures it should cause are checked.
 */
class FaultRulesTcpTransferTest {
    private static final int PORT = 5001;
    private static final long MS = 1_000_000;

    /** Frames B's NIC receives, by TCP payload length (largest seen). */
    private static final class ReceivedSegments extends WrappingLink {
        int largestPayload;
        int dataSegments;

        ReceivedSegments(LinkEndpoint inner) {
            super(inner);
        }

        @Override
        public void attach(NetworkDispatcher dispatcher) {
            inner.attach(dispatcher == null ? null : frame -> {
                PacketView v = PacketView.of(frame, LinkType.ETHERNET);
                if (v.isTcp() && v.payloadLength() > 0) {
                    largestPayload = Math.max(largestPayload, v.payloadLength());
                    dataSegments++;
                }
                dispatcher.deliverNetworkPacket(frame);
            });
        }
    }

    /** One transfer of random bytes from A's client to B's server, driven by the test's thread. */
    private static final class Transfer {
        final TwoStacks s;
        final byte[] data;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final TcpEndpoint listener;
        final TcpEndpoint client;
        TcpEndpoint server;
        int written;
        boolean eof;
        long establishedAt = -1;
        long firstByteAt = -1;
        long eofAt = -1;
        IOException clientError;
        IOException serverError;

        Transfer(TwoStacks s, int size) throws IOException {
            this.s = s;
            data = new byte[size];
            new Random(size).nextBytes(data);
            listener = tcp(s.b).newEndpoint();
            listener.bind(TwoStacks.ADDRESS_B, PORT);
            listener.listen(4);
            client = tcp(s.a).newEndpoint();
            client.connect(TwoStacks.ADDRESS_B, PORT);
        }

        /** Runs until B has read everything and EOF, an end fails, or {@code limit} of clock time passes. */
        Transfer run(Duration limit) {
            ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
            while (!eof && clientError == null && serverError == null && s.clock.nanoTime() < limit.toNanos()) {
                boolean progress = s.settle() > 0;
                if (establishedAt < 0 && client.state() == TcpState.ESTABLISHED) {
                    establishedAt = s.clock.nanoTime();
                }
                if (server == null) {
                    server = listener.accept();
                }
                progress |= push() | pull(scratch);
                if (clientError == null && client.state() == TcpState.CLOSED) {
                    clientError = client.getAndClearError();
                }
                if (!progress && s.wire.pending() == 0) {
                    s.advance(Duration.ofMillis(1));
                }
            }
            return this;
        }

        private boolean push() {
            if (establishedAt < 0 || written == data.length || clientError != null) {
                return false;
            }
            try {
                int n = client.write(ByteBuffer.wrap(data, written, data.length - written));
                written += n;
                if (written == data.length) {
                    client.shutdownOutput();
                }
                return n > 0;
            } catch (IOException e) {
                clientError = e;
                return true;
            }
        }

        private boolean pull(ByteBuffer scratch) {
            if (server == null) {
                return false;
            }
            boolean progress = false;
            try {
                while (!eof) {
                    scratch.clear();
                    int n = server.read(scratch);
                    if (n == -1) {
                        eof = true;
                        eofAt = s.clock.nanoTime();
                        return true;
                    }
                    if (n == 0) {
                        break;
                    }
                    if (firstByteAt < 0) {
                        firstByteAt = s.clock.nanoTime();
                    }
                    received.write(scratch.array(), 0, n);
                    progress = true;
                }
            } catch (IOException e) {
                serverError = e;
                return true;
            }
            return progress;
        }

        void assertIntact() {
            assertNull(clientError, "client error");
            assertNull(serverError, "server error");
            assertTrue(eof, "B read to the end");
            assertArrayEquals(data, received.toByteArray(), "bytes B read");
        }
    }

    private static TcpProtocol tcp(Stack stack) {
        return (TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private static TwoStacks stacks() {
        return TwoStacks.builder().transport(TcpProtocol::new).build();
    }

    private static FaultyLink.Stats faultsOfA(TwoStacks s) {
        return ((FaultyLink) s.nicA.link()).stats();
    }

    @Test
    void latencyOf50msEachWayMakesTheRoundTripAtLeast100ms() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("latency=50ms");
            Transfer t = new Transfer(s, 100_000).run(Duration.ofSeconds(60));
            t.assertIntact();
            assertTrue(t.establishedAt >= 100 * MS, "SYN out and SYN-ACK in each wait 50 ms: " + t.establishedAt);
            long srtt = t.client.info().srttNanos();
            assertTrue(srtt >= 100 * MS && srtt < 150 * MS, "smoothed RTT near 100 ms: " + srtt / 1e6 + " ms");
            assertTrue(faultsOfA(s).delayed().frames() > 0);
        }
    }

    @Test
    void jitterKeepsEveryDelayWithinItsBounds() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:dir=out:latency=40ms±10ms:seed=3");
            Transfer t = new Transfer(s, 50_000).run(Duration.ofSeconds(60));
            t.assertIntact();
            long srtt = t.client.info().srttNanos();
            assertTrue(srtt >= 30 * MS && srtt <= 60 * MS, "one-way jitter of 30..50 ms: srtt " + srtt / 1e6 + " ms");
        }
    }

    @Test
    void tenPercentSeededLossForcesRetransmissionsAndEveryByteStillArrives() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:loss=10%:seed=7");
            Transfer t = new Transfer(s, 300_000).run(Duration.ofSeconds(600));
            t.assertIntact();
            assertTrue(faultsOfA(s).lost().frames() > 0, "frames lost");
            assertTrue(t.client.info().retransmittedSegments() > 0, "client retransmissions");
            FaultRule rule = s.a.faults().list().get(0);
            assertTrue(s.a.faults().hits(rule) >= faultsOfA(s).lost().frames(), "the rule's hits count its losses");
        }
    }

    @Test
    void oneMegabitPerSecondTakesAtLeastTheSerialisationTime() throws IOException {
        int bytes = 250_000; // 2 Mbit of payload: at least 2 s at 1 Mbit/s
        try (TwoStacks s = stacks()) {
            s.a.faults().add("dir=out:bandwidth=1mbit");
            Transfer t = new Transfer(s, bytes).run(Duration.ofSeconds(120));
            t.assertIntact();
            long elapsed = t.eofAt - t.establishedAt;
            assertTrue(elapsed >= 2_000 * MS, "2 Mbit at 1 Mbit/s: " + elapsed / 1e6 + " ms");
            assertTrue(faultsOfA(s).throttled().frames() > bytes / 1500, "every data frame was queued");
        }
    }

    @Test
    void resetAfterTenThousandBytesResetsBothEndsOnceThatManyHaveArrived() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:port=" + PORT + ":reset=10000");
            Transfer t = new Transfer(s, 200_000).run(Duration.ofSeconds(60));
            s.advance(Duration.ofMillis(1));
            assertNotNull(t.server, "the connection was accepted");
            assertTrue(t.server.info().bytesReceived() >= 10_000 && t.server.info().bytesReceived() < 200_000,
                    "B received " + t.server.info().bytesReceived());
            assertEquals(TcpState.CLOSED, t.client.state());
            assertEquals(TcpState.CLOSED, t.server.state());
            assertTrue(t.clientError != null || t.serverError != null, "an end saw the reset");
            assertEquals(1, tcp(s.a).stats().get(TcpStats.Counter.RESETS_RECEIVED), "A got a RST");
            assertEquals(1, tcp(s.b).stats().get(TcpStats.Counter.RESETS_RECEIVED), "B got a RST");
            IOException seen = t.clientError != null ? t.clientError : t.serverError;
            assertTrue(seen.getMessage().contains("reset"), seen.getMessage());
        }
    }

    @Test
    void resetAfterTwoSecondsHitsTheFirstSegmentAfterThat() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:reset=2s");
            Transfer t = new Transfer(s, 1000);
            s.settle();
            s.advance(Duration.ofMillis(10));
            assertEquals(TcpState.ESTABLISHED, t.client.state());
            s.advance(Duration.ofMillis(1990)); // quiet: no segment to reset
            assertEquals(TcpState.ESTABLISHED, t.client.state());
            t.run(Duration.ofSeconds(5));
            s.advance(Duration.ofMillis(1)); // the RST for A, made inside A's own write, comes on the clock's thread
            assertTrue(s.clock.nanoTime() >= 2_000 * MS);
            assertEquals(TcpState.CLOSED, t.client.state());
            assertEquals(TcpState.CLOSED, t.server.state());
            assertEquals(0, t.received.size(), "the first data segment was replaced by the resets");
            assertTrue(faultsOfA(s).reset().frames() >= 1, "the data segment and any after it were replaced");
        }
    }

    @Test
    void blackholeMakesTheConnectTimeOutWithNoByteCrossing() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:port=" + PORT + ":blackhole");
            Transfer t = new Transfer(s, 1000).run(Duration.ofSeconds(300));
            assertNull(t.server, "nothing reached B's listener");
            assertEquals(TcpState.CLOSED, t.client.state());
            assertNotNull(t.clientError);
            assertTrue(t.clientError.getMessage().toLowerCase().contains("timed out"), t.clientError.getMessage());
            assertEquals(0, tcp(s.b).stats().get(TcpStats.Counter.SEGMENTS_RECEIVED), "B saw no segment");
            assertTrue(faultsOfA(s).blackholed().frames() >= 2, "the SYN and its retransmissions vanished");
        }
    }

    @Test
    void aBlackholeOnAnotherPortLeavesThisConnectionAlone() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:port=" + (PORT + 1) + ":blackhole");
            new Transfer(s, 20_000).run(Duration.ofSeconds(10)).assertIntact();
            assertEquals(0, faultsOfA(s).blackholed().frames());
        }
    }

    @Test
    void slicingDeliversSegmentsOfAtMostTheSliceSizeWithValidChecksums() throws IOException {
        ReceivedSegments[] atB = new ReceivedSegments[1];
        try (TwoStacks s = TwoStacks.builder().transport(TcpProtocol::new)
                .wrapB((link, clock) -> atB[0] = new ReceivedSegments(link)).build()) {
            s.a.faults().add("tcp:dir=out:slice=100");
            Transfer t = new Transfer(s, 30_000).run(Duration.ofSeconds(60));
            t.assertIntact();
            assertTrue(atB[0].largestPayload <= 100, "largest segment at B: " + atB[0].largestPayload);
            assertTrue(atB[0].dataSegments >= 300, "30000 bytes in 100-byte slices: " + atB[0].dataSegments);
            assertEquals(0, tcp(s.b).stats().get(TcpStats.Counter.CHECKSUM_ERRORS));
            assertEquals(0, s.b.stats().get(StackCounter.IPV4_CHECKSUM_ERRORS));
        }
    }

    @Test
    void corruptionIsCaughtByChecksumsAndEveryByteStillArrivesIntact() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:dir=out:corrupt=5%:seed=5");
            Transfer t = new Transfer(s, 200_000).run(Duration.ofSeconds(600));
            t.assertIntact();
            long checksumDrops = tcp(s.b).stats().get(TcpStats.Counter.CHECKSUM_ERRORS)
                    + s.b.stats().get(StackCounter.IPV4_CHECKSUM_ERRORS);
            assertTrue(faultsOfA(s).corrupted().frames() > 0);
            assertTrue(checksumDrops > 0, "B dropped corrupted frames by checksum");
        }
    }

    @Test
    void duplicationAndReorderingStillDeliverEveryByteOnceInOrder() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:dir=out:dup=5%:reorder=10%:seed=9");
            Transfer t = new Transfer(s, 200_000).run(Duration.ofSeconds(600));
            t.assertIntact();
            assertTrue(faultsOfA(s).duplicated().frames() > 0 && faultsOfA(s).reordered().frames() > 0);
            assertTrue(tcp(s.b).stats().get(TcpStats.Counter.OUT_OF_ORDER_SEGMENTS) > 0, "B saw segments out of order");
        }
    }

    @Test
    void slowCloseHoldsTheFinForItsDelay() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("tcp:dir=out:slowclose=2s");
            Transfer t = new Transfer(s, 5_000).run(Duration.ofSeconds(60));
            t.assertIntact();
            assertTrue(t.eofAt - t.firstByteAt >= 2_000 * MS, "EOF came " + (t.eofAt - t.firstByteAt) / 1e6
                    + " ms after the data");
            assertTrue(faultsOfA(s).slowClosed().frames() >= 1);
        }
    }

    @Test
    void clearingTheRulesLetsTrafficThroughAgain() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("blackhole");
            Transfer t = new Transfer(s, 10_000);
            s.advance(Duration.ofSeconds(2));
            assertEquals(TcpState.SYN_SENT, t.client.state());
            s.a.faults().clear();
            t.run(Duration.ofSeconds(60)).assertIntact();
        }
    }

    @Test
    void aUdpRuleTakesDatagramsOfItsPortOnlyAndLeavesTcpAlone() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("udp:rport=9000:blackhole");
            io.jnetstack.transport.udp.UdpEndpoint receiver = s.udpB.newEndpoint();
            receiver.bind(TwoStacks.ADDRESS_B, 9000);
            io.jnetstack.transport.udp.UdpEndpoint other = s.udpB.newEndpoint();
            other.bind(TwoStacks.ADDRESS_B, 9001);
            io.jnetstack.transport.udp.UdpEndpoint sender = s.udpA.newEndpoint();
            for (int i = 0; i < 5; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), TwoStacks.ADDRESS_B, 9000);
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), TwoStacks.ADDRESS_B, 9001);
            }
            s.advance(Duration.ofSeconds(2)); // ARP, then the datagrams
            assertNull(receiver.receive(), "every datagram to 9000 vanished");
            int arrived = 0;
            while (other.receive() != null) {
                arrived++;
            }
            assertEquals(5, arrived, "datagrams to 9001 all arrived");
            assertEquals(5, faultsOfA(s).blackholed().frames());
            new Transfer(s, 10_000).run(Duration.ofSeconds(10)).assertIntact();
        }
    }

    @Test
    void aRuleForAnotherNicLeavesThisOneAlone() throws IOException {
        try (TwoStacks s = stacks()) {
            s.a.faults().add("nic=eth7:blackhole");
            new Transfer(s, 10_000).run(Duration.ofSeconds(10)).assertIntact();
        }
        try (TwoStacks s = stacks()) {
            s.a.faults().add("nic=pipeA:dir=in:blackhole");
            Transfer cut = new Transfer(s, 10_000);
            s.advance(Duration.ofSeconds(5));
            assertEquals(TcpState.SYN_SENT, cut.client.state(), "the SYN-ACKs vanish on their way in");
        }
    }
}
