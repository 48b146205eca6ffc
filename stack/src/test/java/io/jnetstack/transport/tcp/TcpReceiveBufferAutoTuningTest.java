package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.header.TcpOptions;
import org.junit.jupiter.api.Test;

/** The receive buffer grows while the application drains it faster than the window lets data in. */
class TcpReceiveBufferAutoTuningTest {
    private static final int INITIAL = 32 * 1024;
    private static final int MAX = 128 * 1024;
    private static final TcpOptions PEER_SCALES = new TcpOptions(1460, 0, false, false, 0, 0, new int[0]);
    private final TcpTestContext ctx = new TcpTestContext(
            TcpTestContext.config().bufferSizes(64 * 1024, INITIAL).maxReceiveBufferSize(MAX).build());
    private int received;

    /** The peer sends more than half the current buffer, the application reads all of it, a round trip passes. */
    private void roundTripOfFullBufferDrainedByTheApplication(TcpEndpoint ep) {
        int amount = (ep.receiveBufferSize() / 2 / 1000 + 1) * 1000;
        for (int off = 0; off < amount; off += 1000) {
            ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1 + received).ack(ctx.iss + 1).payload(bytes(1000, off)));
            received += 1000;
        }
        assertEquals(amount, read(ep, 2 * amount).length);
        ctx.advanceMillis(40);
    }

    /** A segment that arrives after the round trip: the moment auto-tuning measures. */
    private void oneMoreSegment(TcpEndpoint ep) {
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1 + received).ack(ctx.iss + 1).payload(bytes(10, 0)));
        received += 10;
        assertEquals(10, read(ep, 100).length);
    }

    @Test
    void windowScaleCoversTheLargestBufferFromTheSynOn() {
        TcpEndpoint ep = ctx.establishActive(PEER_SCALES);
        assertEquals(TcpEndpoint.windowScaleFor(MAX), ep.info().rcvWindowScale());
    }

    @Test
    void bufferTheApplicationDrainsWithinARoundTripDoubles() {
        TcpEndpoint ep = ctx.establishActive(PEER_SCALES);
        roundTripOfFullBufferDrainedByTheApplication(ep);
        oneMoreSegment(ep);
        assertEquals(2 * INITIAL, ep.receiveBufferSize());
    }

    @Test
    void bufferStopsGrowingAtTheConfiguredMaximum() {
        TcpEndpoint ep = ctx.establishActive(PEER_SCALES);
        for (int round = 0; round < 5; round++) {
            roundTripOfFullBufferDrainedByTheApplication(ep);
            oneMoreSegment(ep);
        }
        assertEquals(MAX, ep.receiveBufferSize());
    }

    @Test
    void bufferTheApplicationSizedItselfNeverGrows() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ep.setReceiveBufferSize(INITIAL);
        ctx.establishActive(ep, PEER_SCALES, 30000);
        roundTripOfFullBufferDrainedByTheApplication(ep);
        oneMoreSegment(ep);
        assertEquals(INITIAL, ep.receiveBufferSize());
    }

    @Test
    void bufferTheApplicationDoesNotReadStaysAsItIs() {
        TcpEndpoint ep = ctx.establishActive(PEER_SCALES);
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1).payload(bytes(20_000, 0)));
        ctx.advanceMillis(40);
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 20_001).ack(ctx.iss + 1).payload(bytes(10, 0)));
        assertEquals(INITIAL, ep.receiveBufferSize());
    }
}
