package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpOptions;
import org.junit.jupiter.api.Test;

/**
 * Fast retransmit and recovery: NewReno when the peer has no SACK (RFC 5681 §3.2, RFC 6582),
 * SACK-based recovery when it has (RFC 6675). Five 1000-byte segments are in flight in each test.
 */
class TcpLossRecoveryTest {
    private static final int SEGMENT = 1000;
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    /** Sequence number of the k-th (0-based) segment of the flight. */
    private int seg(int k) {
        return ctx.iss + 1 + k * SEGMENT;
    }

    private TcpEndpoint fiveSegmentsInFlight(TcpOptions synAckOptions) {
        TcpEndpoint ep = ctx.establishActive(synAckOptions);
        write(ep, bytes(5 * SEGMENT, 1));
        for (int k = 0; k < 5; k++) {
            ctx.expectSegment().seq(seg(k)).payloadLength(SEGMENT);
        }
        return ep;
    }

    private void duplicateAck(int... sackBlocks) {
        TcpOptions options = sackBlocks.length == 0 ? TcpOptions.NONE : TestSegment.sack(sackBlocks);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(seg(0)).options(options));
    }

    @Test
    void thirdDuplicateAckTriggersFastRetransmitWithoutWaitingForTheTimer() {
        TcpEndpoint ep = fiveSegmentsInFlight(mss(SEGMENT));
        duplicateAck();
        duplicateAck();
        ctx.expectNoSegment();
        duplicateAck();
        ctx.expectSegment().seq(seg(0)).payloadLength(SEGMENT);
        assertTrue(ep.info().inRecovery());
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.FAST_RETRANSMITS));
    }

    @Test
    void fastRetransmitHalvesTheWindowAtMost() {
        TcpEndpoint ep = fiveSegmentsInFlight(mss(SEGMENT));
        duplicateAck();
        duplicateAck();
        duplicateAck();
        assertTrue(ep.info().ssthresh() < 5 * SEGMENT);
        assertTrue(ep.info().ssthresh() >= 2 * SEGMENT);
    }

    @Test
    void partialAckRetransmitsTheNextHoleAtOnce() {
        fiveSegmentsInFlight(mss(SEGMENT));
        duplicateAck();
        duplicateAck();
        duplicateAck();
        ctx.expectSegment().seq(seg(0));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(seg(2)));
        ctx.expectSegment().seq(seg(2)).payloadLength(SEGMENT);
    }

    @Test
    void ackCoveringTheRecoveryPointEndsRecovery() {
        TcpEndpoint ep = fiveSegmentsInFlight(mss(SEGMENT));
        duplicateAck();
        duplicateAck();
        duplicateAck();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(seg(5)));
        assertFalse(ep.info().inRecovery());
        assertEquals(ep.info().ssthresh(), ep.info().cwnd());
    }

    @Test
    void holeWithThreeSegmentsSackedAboveIsRetransmittedOnTheFirstDuplicateAck() {
        TcpEndpoint ep = fiveSegmentsInFlight(new TcpOptions(SEGMENT, -1, true, false, 0, 0, new int[0]));
        duplicateAck(seg(1), seg(4));
        ctx.expectSegment().seq(seg(0)).payloadLength(SEGMENT);
        assertTrue(ep.info().inRecovery());
    }

    @Test
    void sackRecoveryRetransmitsOnlyTheHoles() {
        fiveSegmentsInFlight(new TcpOptions(SEGMENT, -1, true, false, 0, 0, new int[0]));
        duplicateAck(seg(1), seg(2));
        duplicateAck(seg(3), seg(5), seg(1), seg(2));
        ctx.expectSegment().seq(seg(0)).payloadLength(SEGMENT);
        ctx.expectSegment().seq(seg(2)).payloadLength(SEGMENT);
        ctx.expectNoSegment();
    }

    @Test
    void goBackNAfterATimeoutSkipsSegmentsThePeerHasSacked() {
        fiveSegmentsInFlight(new TcpOptions(SEGMENT, -1, true, false, 0, 0, new int[0]));
        duplicateAck(seg(1), seg(3));
        ctx.advanceMillis(200);
        ctx.expectSegment().seq(seg(0)).payloadLength(SEGMENT);
        ctx.expectNoSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(seg(1)).options(TestSegment.sack(seg(1), seg(3))));
        ctx.expectSegment().seq(seg(3)).payloadLength(SEGMENT);
        ctx.expectSegment().seq(seg(4)).payloadLength(SEGMENT);
        ctx.expectNoSegment();
    }

    @Test
    void sackBlocksBeyondWhatWasSentAreIgnored() {
        TcpEndpoint ep = fiveSegmentsInFlight(new TcpOptions(SEGMENT, -1, true, false, 0, 0, new int[0]));
        duplicateAck(seg(6), seg(9));
        ctx.expectNoSegment();
        assertFalse(ep.info().inRecovery());
    }
}
