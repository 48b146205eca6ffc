package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Timers of a quiet connection: persist and zero-window probes (RFC 9293 §3.8.6.1), keepalive (RFC 1122 §4.2.3.6). */
class TcpIdleTimersTest {
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    @Test
    void zeroWindowHoldsDataAndStartsProbing() {
        TcpEndpoint ep = ctx.establishActive(ctx.protocol.newEndpoint(), mss(1460), 0);
        write(ep, bytes(100, 1));
        ctx.expectNoSegment();
        ctx.advanceMillis(200);
        ctx.expectSegment().flags(ACK).seq(ctx.iss).ack(rcv).payloadLength(0);
    }

    @Test
    void zeroWindowProbesBackOffExponentially() {
        TcpEndpoint ep = ctx.establishActive(ctx.protocol.newEndpoint(), mss(1460), 0);
        write(ep, bytes(100, 1));
        ctx.advanceMillis(200);
        ctx.expectSegment();
        ctx.advanceMillis(399);
        ctx.expectNoSegment();
        ctx.advanceMillis(1);
        ctx.expectSegment().seq(ctx.iss);
    }

    @Test
    void windowUpdateReleasesTheHeldData() {
        TcpEndpoint ep = ctx.establishActive(ctx.protocol.newEndpoint(), mss(1460), 0);
        write(ep, bytes(100, 1));
        ctx.advanceMillis(200);
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).window(5000));
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 1).payloadLength(100);
        ctx.advanceMillis(400);
        ctx.expectSegment().payloadLength(100); // now the retransmission timer runs, not the persist timer
    }

    @Test
    void windowTooSmallForSwsAvoidanceIsUsedWhenThePersistTimerExpires() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).window(100));
        write(ep, bytes(1000, 1));
        ctx.expectNoSegment(); // 100 of 1000 bytes, far below half the largest window: silly
        ctx.advanceMillis(200);
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).payloadLength(100);
    }

    private TcpEndpoint keepaliveConnection() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.setKeepaliveParameters(Duration.ofSeconds(10), Duration.ofSeconds(1), 3);
        ep.setKeepAlive(true);
        return ep;
    }

    @Test
    void idleConnectionIsProbedWithAnOldSequenceNumber() {
        keepaliveConnection();
        ctx.advanceMillis(9999);
        ctx.expectNoSegment();
        ctx.advanceMillis(1);
        ctx.expectSegment().flags(ACK).seq(ctx.iss).ack(rcv).payloadLength(0);
    }

    @Test
    void unansweredProbesRepeatAtTheIntervalThenAbort() {
        TcpEndpoint ep = keepaliveConnection();
        ctx.advance(Duration.ofSeconds(10));
        ctx.expectSegment();
        ctx.advance(Duration.ofSeconds(1));
        ctx.expectSegment();
        ctx.advance(Duration.ofSeconds(1));
        ctx.expectSegment();
        assertEquals(TcpState.ESTABLISHED, ep.state());
        ctx.advance(Duration.ofSeconds(1));
        assertEquals(TcpState.CLOSED, ep.state());
        assertEquals("Connection timed out", ep.getAndClearError().getMessage());
    }

    @Test
    void answeredProbeRestartsTheIdleTime() {
        TcpEndpoint ep = keepaliveConnection();
        ctx.advance(Duration.ofSeconds(10));
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1));
        ctx.advance(Duration.ofSeconds(1));
        ctx.expectNoSegment();
        ctx.advance(Duration.ofSeconds(9));
        ctx.expectSegment().seq(ctx.iss);
        assertEquals(TcpState.ESTABLISHED, ep.state());
    }

    @Test
    void noProbesWithoutKeepalive() {
        ctx.establishActive(mss(1460));
        ctx.advance(Duration.ofHours(3));
        ctx.expectNoSegment();
    }
}
