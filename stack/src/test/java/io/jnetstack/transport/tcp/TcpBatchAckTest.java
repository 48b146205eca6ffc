package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;

import org.junit.jupiter.api.Test;

/**
 * Segments a link delivers in one batch (the TAP reader's wake-up) are acknowledged once, at the
 * batch's end, as Linux's GRO makes one ACK for what it coalesced; RFC 9293 §3.8.6.3's "at least
 * every second full-sized segment" then counts per batch. What must go at once still does.
 */
class TcpBatchAckTest {
    private static final int BUFFER = 200_000;
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().bufferSizes(BUFFER, BUFFER).build());
    private final int rcv = REMOTE_ISN + 1;
    private final int full = TcpTestContext.LOCAL_MSS;

    @Test
    void inOrderSegmentsOfOneBatchAreAcknowledgedOnceWhenItEnds() {
        ctx.establishActive(mss(1460));
        for (int i = 0; i < 6; i++) {
            ctx.injectInBatch(tcp().flags(ACK).seq(rcv + i * full).ack(ctx.iss + 1).payload(bytes(full, i)));
        }
        ctx.expectNoSegment();
        ctx.endBatch();
        ctx.expectSegment().flags(ACK).ack(rcv + 6 * full);
        ctx.expectNoSegment();
    }

    @Test
    void theSameSegmentsOutsideABatchAreAcknowledgedEverySecondOne() {
        ctx.establishActive(mss(1460));
        for (int i = 0; i < 6; i++) {
            ctx.inject(tcp().flags(ACK).seq(rcv + i * full).ack(ctx.iss + 1).payload(bytes(full, i)));
        }
        for (int i = 1; i <= 3; i++) {
            ctx.expectSegment().flags(ACK).ack(rcv + 2 * i * full);
        }
        ctx.expectNoSegment();
    }

    @Test
    void aBatchWithLessThanTwoFullSegmentsLeavesTheAckToTheDelayedAckTimer() {
        ctx.establishActive(mss(1460));
        ctx.injectInBatch(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(full, 1)));
        ctx.endBatch();
        ctx.expectNoSegment();
        ctx.advanceMillis(40);
        ctx.expectSegment().flags(ACK).ack(rcv + full);
    }

    @Test
    void anOutOfOrderSegmentInABatchIsAcknowledgedAtOnce() {
        ctx.establishActive(mss(1460));
        ctx.injectInBatch(tcp().flags(ACK).seq(rcv + full).ack(ctx.iss + 1).payload(bytes(full, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv);
    }

    @Test
    void anAckSentWithinTheBatchLeavesNothingForItsEnd() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        for (int i = 0; i < 2; i++) {
            ctx.injectInBatch(tcp().flags(ACK).seq(rcv + i * full).ack(ctx.iss + 1).payload(bytes(full, i)));
        }
        TcpTestContext.write(ep, bytes(100, 9)); // data going out carries the ACK
        ctx.expectSegment().ack(rcv + 2 * full).payloadLength(100);
        ctx.endBatch();
        ctx.expectNoSegment();
    }
}
