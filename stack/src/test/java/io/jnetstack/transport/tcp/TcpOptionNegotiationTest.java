package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpOptions;
import org.junit.jupiter.api.Test;

/** MSS (RFC 9293 §3.7.1), window scaling, timestamps and PAWS (RFC 7323), as negotiated in the handshake. */
class TcpOptionNegotiationTest {
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    private static TcpOptions options(int mss, int windowScale, boolean timestamps, int tsVal) {
        return new TcpOptions(mss, windowScale, false, timestamps, tsVal, 0, new int[0]);
    }

    @Test
    void peerMssLimitsTheSegmentSize() {
        TcpEndpoint ep = ctx.establishActive(options(536, -1, false, 0));
        assertEquals(536, ep.info().sndMss());
        write(ep, bytes(600, 1));
        ctx.expectSegment().payloadLength(536);
    }

    @Test
    void missingMssOptionMeansTheDefault536() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        assertEquals(536, ep.info().sndMss());
    }

    @Test
    void timestampsTakeTwelveBytesOfEverySegment() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, true, 5000));
        assertEquals(1460 - 12, ep.info().sndMss());
    }

    @Test
    void peerWindowIsScaledByItsShiftCount() {
        TcpEndpoint ep = ctx.establishActive(options(1460, 2, false, 0));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).window(1000));
        assertEquals(4000, ep.info().sndWnd());
    }

    @Test
    void windowInTheSynAckIsNeverScaled() {
        TcpEndpoint ep = ctx.establishActive(options(1460, 2, false, 0));
        assertEquals(30000, ep.info().sndWnd());
    }

    @Test
    void ourWindowIsAdvertisedScaledWhenThePeerScales() {
        TcpEndpoint ep = ctx.establishActive(options(1460, 2, false, 0));
        assertEquals(7, ep.info().rcvWindowScale(), "enough for the 4 MiB auto-tuning ceiling");
        write(ep, bytes(10, 1));
        ctx.expectSegment().window((1 << 20) >> 7);
    }

    @Test
    void withoutPeerWindowScaleNeitherSideScales() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, false, 0));
        assertEquals(0, ep.info().rcvWindowScale());
        write(ep, bytes(10, 1));
        ctx.expectSegment().window(65535);
    }

    @Test
    void everySegmentEchoesThePeersLatestTimestamp() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, true, 5000));
        assertTrue(ep.info().timestamps());
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).options(TestSegment.timestamps(6000, 0)));
        write(ep, bytes(10, 1));
        ctx.expectSegment().flags(ACK | PSH).tsEcr(6000);
    }

    @Test
    void segmentWithAnOlderTimestampIsDroppedAsAnOldDuplicate() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, true, 5000));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).options(TestSegment.timestamps(4000, 0))
                .payload(bytes(10, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv).tsEcr(5000);
        assertEquals(0, read(ep, 100).length);
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.INVALID_SEGMENTS));
    }

    @Test
    void olderTimestampIsAcceptedAfterTwentyFourDaysIdle() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, true, 5000));
        ctx.advance(java.time.Duration.ofDays(25));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).options(TestSegment.timestamps(4000, 0))
                .payload(bytes(10, 1)));
        assertEquals(10, read(ep, 100).length);
    }

    @Test
    void withoutPeerTimestampsNoSegmentCarriesThem() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, false, 0));
        assertFalse(ep.info().timestamps());
        write(ep, bytes(10, 1));
        ctx.expectSegment().noTimestamps();
    }

    @Test
    void rttIsMeasuredFromTheEchoedTimestamp() {
        TcpEndpoint ep = ctx.establishActive(options(1460, -1, true, 5000));
        write(ep, bytes(10, 1));
        int tsVal = ctx.expectSegment().tsVal();
        ctx.advanceMillis(300);
        long before = ep.info().srttNanos();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 11).options(TestSegment.timestamps(5001, tsVal)));
        assertTrue(ep.info().srttNanos() > before);
    }
}
