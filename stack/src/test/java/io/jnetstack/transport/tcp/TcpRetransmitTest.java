package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retransmission timer (RFC 6298): RTO, backoff, Karn's algorithm, SYN retries, giving up. */
class TcpRetransmitTest {
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().dataRetries(3).build());
    private final int rcv = REMOTE_ISN + 1;

    private long rtoMillis(TcpEndpoint ep) {
        return ep.info().rtoNanos() / 1_000_000;
    }

    @Test
    void unacknowledgedDataIsRetransmittedWhenTheTimerExpires() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(100, 1));
        ctx.expectSegment().seq(ctx.iss + 1).payloadLength(100);
        long rto = rtoMillis(ep);
        ctx.advanceMillis(rto - 1);
        ctx.expectNoSegment();
        ctx.advanceMillis(1);
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 1).payloadLength(100);
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.RETRANSMITTED_SEGMENTS));
    }

    @Test
    void pureAckAfterATimeoutCarriesTheHighestSequenceNumberSent() {
        TcpEndpoint ep = ctx.establishActive(mss(1000));
        write(ep, bytes(3000, 1));
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment();
        }
        ctx.advanceMillis(200);
        ctx.expectSegment().seq(ctx.iss + 1); // go back N: SND.NXT is back at SND.UNA
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(2 * 1460, 2)));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 3001).ack(rcv + 2 * 1460).payloadLength(0);
    }

    @Test
    void minimumRtoIsTwoHundredMilliseconds() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        assertEquals(200, rtoMillis(ep));
    }

    @Test
    void eachExpiryDoublesTheTimeout() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(100, 1));
        ctx.expectSegment();
        ctx.advanceMillis(200);
        ctx.expectSegment().seq(ctx.iss + 1);
        ctx.advanceMillis(399);
        ctx.expectNoSegment();
        ctx.advanceMillis(1);
        ctx.expectSegment().seq(ctx.iss + 1);
        ctx.advanceMillis(800);
        ctx.expectSegment().seq(ctx.iss + 1);
    }

    @Test
    void timeoutShrinksTheCongestionWindowToOneSegment() {
        TcpEndpoint ep = ctx.establishActive(mss(1000));
        write(ep, bytes(5000, 1));
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment();
        }
        ctx.advanceMillis(200);
        ctx.expectSegment().seq(ctx.iss + 1).payloadLength(1000);
        ctx.expectNoSegment();
        assertEquals(1000, ep.info().cwnd());
    }

    @Test
    void rttIsNotSampledFromARetransmittedSegment() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        long srttBefore = ep.info().srttNanos();
        write(ep, bytes(100, 1));
        ctx.expectSegment();
        ctx.advanceMillis(200);
        ctx.expectSegment();
        ctx.advanceMillis(50);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 101));
        assertEquals(srttBefore, ep.info().srttNanos());
    }

    @Test
    void rttIsSampledFromAnUnambiguousAcknowledgment() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        long srttBefore = ep.info().srttNanos();
        write(ep, bytes(100, 1));
        ctx.expectSegment();
        ctx.advanceMillis(80);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 101));
        assertTrue(ep.info().srttNanos() > srttBefore);
    }

    @Test
    void connectionIsAbortedWhenRetriesAreExhausted() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(100, 1));
        ctx.expectSegment();
        ctx.advance(Duration.ofMinutes(5));
        assertEquals(3, ctx.pendingSegments(), "three retransmissions");
        assertEquals(TcpState.CLOSED, ep.state());
        IOException e = ep.getAndClearError();
        assertInstanceOf(SocketException.class, e);
        assertEquals("Connection timed out", e.getMessage());
    }

    @Test
    void userTimeoutAbortsBeforeTheRetriesRunOut() {
        TcpTestContext longCtx = new TcpTestContext();
        TcpEndpoint ep = longCtx.establishActive(mss(1460));
        ep.setUserTimeout(Duration.ofSeconds(1));
        write(ep, bytes(100, 1));
        // Expiries at 0.2 and 0.6 s; the next (1.4 s) is cut short to when the user timeout runs out.
        longCtx.advance(Duration.ofMillis(999));
        assertEquals(TcpState.ESTABLISHED, ep.state());
        longCtx.advance(Duration.ofMillis(1));
        assertEquals(TcpState.CLOSED, ep.state());
        assertEquals("Connection timed out", ep.getAndClearError().getMessage());
    }

    @Test
    void synIsRetransmittedWithExponentialBackoffThenConnectTimesOut() {
        TcpTestContext c = new TcpTestContext();
        TcpEndpoint ep = c.protocol.newEndpoint();
        c.connect(ep);
        int iss = c.expectSegment().flags(SYN).seq();
        long[] retransmitAtSeconds = {1, 3, 7, 15, 31, 63};
        long now = 0;
        for (long at : retransmitAtSeconds) {
            c.advance(Duration.ofSeconds(at - now).minusMillis(1));
            c.expectNoSegment();
            c.advanceMillis(1);
            c.expectSegment().flags(SYN).seq(iss);
            now = at;
        }
        c.advance(Duration.ofSeconds(127 - now).minusMillis(1));
        assertEquals(TcpState.SYN_SENT, ep.state());
        c.advanceMillis(1);
        assertEquals(TcpState.CLOSED, ep.state());
        ConnectException e = assertInstanceOf(ConnectException.class, ep.getAndClearError());
        assertEquals("Connection timed out", e.getMessage());
        c.expectNoSegment();
    }

    @Test
    void synAckIsRetransmittedUntilTheHandshakeCompletes() {
        TcpTestContext c = new TcpTestContext();
        c.listen(8);
        c.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        int iss = c.expectSegment().seq();
        c.advance(Duration.ofSeconds(1));
        c.expectSegment().flags(SYN | ACK).seq(iss).ack(REMOTE_ISN + 1);
        c.advance(Duration.ofSeconds(2));
        c.expectSegment().flags(SYN | ACK).seq(iss);
    }

    @Test
    void halfOpenConnectionIsDroppedAfterSynAckRetries() {
        TcpTestContext c = new TcpTestContext();
        c.listen(8);
        c.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        c.expectSegment();
        c.advance(Duration.ofMinutes(10));
        assertEquals(5, c.pendingSegments());
        assertEquals(1, c.demuxer.size(), "only the listener is left");
    }
}
