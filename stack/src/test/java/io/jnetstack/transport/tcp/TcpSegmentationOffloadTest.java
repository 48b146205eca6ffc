package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Over a link that segments TCP itself (TSO) and completes checksums: a burst leaves as one packet
 * of whole segments that the link cuts at the MSS, with the same segments on the wire as without
 * the offload, and every checksum left for the link (which the test's route completes and checks).
 */
class TcpSegmentationOffloadTest {
    private static final int BUFFER = 200_000;
    /** What a TAP link takes for IPv4: 65535 less the IPv4 header. */
    private static final int MAX_SEGMENTED = 65_515;
    private static final int SEGMENT = 1000;
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().bufferSizes(BUFFER, BUFFER).build());
    private final int rcv = REMOTE_ISN + 1;

    @Test
    void aBurstOfSegmentsLeavesAsOnePacketTheLinkCutsAtTheMss() {
        ctx.offloadSegmentation(MAX_SEGMENTED);
        TcpEndpoint ep = ctx.establishActive(mss(SEGMENT));
        long sentBefore = ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_SENT);
        byte[] data = bytes(20_000, 2);
        write(ep, data);

        int window = ep.info().cwnd();
        EmittedSegment burst = ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).segmentSize(SEGMENT).payloadLength(window);
        assertArrayEquals(Arrays.copyOf(data, window), burst.payload);
        assertTrue(burst.checksumLeftToLink, "the link completes the checksum");
        ctx.expectNoSegment();
        assertEquals(window / SEGMENT, ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_SENT) - sentBefore,
                "counted as the segments on the wire");
    }

    @Test
    void aPacketHoldsAsManyWholeSegmentsAsTheLinkTakesAndNoMore() {
        ctx.offloadSegmentation(MAX_SEGMENTED);
        TcpEndpoint ep = ctx.establishActive(ctx.protocol.newEndpoint(), mss(SEGMENT), 65535);
        write(ep, bytes(BUFFER, 3));
        int fitting = (MAX_SEGMENTED - 20) / SEGMENT * SEGMENT;
        int largest = 0;
        // Acknowledge everything each round, so the congestion window grows past one packet's worth.
        for (int round = 0; round < 200 && largest < fitting; round++) {
            while (ctx.pendingSegments() > 0) {
                EmittedSegment s = ctx.expectSegment();
                largest = Math.max(largest, s.payload.length);
                assertEquals(0, s.payload.length % SEGMENT, "whole segments only: " + s);
            }
            ctx.inject(tcp().flags(ACK).seq(rcv).ack(ep.info().sndNxt()).window(65535));
            write(ep, bytes(BUFFER, round)); // keep the send buffer full
        }
        assertEquals(fitting, largest, "the largest packet is as many whole segments as fit in the link's largest");
    }

    @Test
    void theShorterLastSegmentWaitsForNagleAsItWouldOnItsOwn() {
        ctx.offloadSegmentation(MAX_SEGMENTED);
        TcpEndpoint ep = ctx.establishActive(mss(SEGMENT));
        write(ep, bytes(3 * SEGMENT + 500, 4));
        ctx.expectSegment().flags(ACK).segmentSize(SEGMENT).payloadLength(3 * SEGMENT);
        ctx.expectNoSegment(); // Nagle: a small segment waits while data is unacknowledged
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1 + 3 * SEGMENT).window(65535));
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 1 + 3 * SEGMENT).segmentSize(0).payloadLength(500);
    }

    @Test
    void withNoDelayTheShorterLastSegmentGoesInTheSamePacket() {
        ctx.offloadSegmentation(MAX_SEGMENTED);
        TcpEndpoint ep = ctx.establishActive(mss(SEGMENT));
        ep.setNoDelay(true);
        write(ep, bytes(3 * SEGMENT + 500, 5));
        ctx.expectSegment().flags(ACK | PSH).segmentSize(SEGMENT).payloadLength(3 * SEGMENT + 500);
        ctx.expectNoSegment();
    }

    @Test
    void aSegmentOfOneMssOrLessIsNotSegmentedButStillLeavesItsChecksumToTheLink() {
        ctx.offloadSegmentation(MAX_SEGMENTED);
        TcpEndpoint ep = ctx.establishActive(mss(SEGMENT));
        write(ep, bytes(SEGMENT, 6));
        EmittedSegment s = ctx.expectSegment().flags(ACK | PSH).segmentSize(0).payloadLength(SEGMENT);
        assertTrue(s.checksumLeftToLink);
    }

    @Test
    void withoutTheOffloadEverySegmentIsItsOwnPacketWithItsChecksum() {
        TcpEndpoint ep = ctx.establishActive(mss(SEGMENT));
        write(ep, bytes(3 * SEGMENT, 7));
        for (int i = 0; i < 3; i++) {
            EmittedSegment s = ctx.expectSegment().segmentSize(0).payloadLength(SEGMENT);
            assertTrue(!s.checksumLeftToLink);
        }
    }
}
