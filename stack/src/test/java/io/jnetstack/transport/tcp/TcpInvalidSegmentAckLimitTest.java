package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, attack 4: segments anyone can forge in bulk must not each earn an answer. Challenge
 * ACKs are limited per connection and stack-wide (RFC 5961 §7; Linux's tcp_invalid_ratelimit and
 * tcp_challenge_ack_limit), and so are ACKs for out-of-window segments without data.
 */
class TcpInvalidSegmentAckLimitTest {
    private static final int FLOOD = 10_000;
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    private long count(TcpStats.Counter counter) {
        return ctx.protocol.stats().get(counter);
    }

    @Test
    void outOfWindowSynFloodGetsOneChallengeAckPerInterval() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        for (int i = 0; i < FLOOD; i++) {
            ctx.inject(tcp().flags(SYN).seq(rcv + 10_000_000 + i));
        }
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).ack(rcv);
        ctx.expectNoSegment();
        assertEquals(1, count(TcpStats.Counter.CHALLENGE_ACKS_SENT));
        assertEquals(FLOOD - 1, count(TcpStats.Counter.CHALLENGE_ACKS_RATE_LIMITED));

        ctx.advance(Duration.ofNanos(TcpEndpoint.INVALID_SEGMENT_ACK_INTERVAL_NANOS));
        ctx.inject(tcp().flags(SYN).seq(rcv - 10_000_000));
        ctx.expectSegment().flags(ACK).ack(rcv);
        assertEquals(TcpState.ESTABLISHED, ep.state());
    }

    @Test
    void challengeAcksAreLimitedStackWide() {
        int connections = TcpProtocol.CHALLENGE_ACKS_PER_SECOND + 100;
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ctx.establishActive(ctx.protocol.newEndpoint(), mss(1460), 30000);
            ports.add(ctx.localPort);
        }
        for (int port : ports) {
            ctx.inject(tcp().to(port).flags(RST).seq(rcv + 100)); // in the window, not at RCV.NXT
        }
        assertEquals(TcpProtocol.CHALLENGE_ACKS_PER_SECOND, count(TcpStats.Counter.CHALLENGE_ACKS_SENT));
        assertEquals(100, count(TcpStats.Counter.CHALLENGE_ACKS_RATE_LIMITED));
        assertEquals(TcpProtocol.CHALLENGE_ACKS_PER_SECOND, ctx.pendingSegments());
    }

    @Test
    void outOfWindowAcksWithoutDataAreAnsweredOncePerInterval() {
        ctx.establishActive(mss(1460));
        for (int i = 0; i < FLOOD; i++) {
            ctx.inject(tcp().flags(ACK).seq(rcv + 10_000_000 + i).ack(ctx.iss + 1));
        }
        ctx.expectSegment().flags(ACK).ack(rcv);
        ctx.expectNoSegment();
        assertEquals(FLOOD - 1, count(TcpStats.Counter.INVALID_SEGMENT_ACKS_RATE_LIMITED));
    }

    @Test
    void outOfWindowDataIsAlwaysAnswered() {
        ctx.establishActive(mss(1460));
        for (int i = 0; i < 3; i++) {
            ctx.inject(tcp().flags(ACK).seq(rcv - 5000).ack(ctx.iss + 1).payload(bytes(10, i)));
            ctx.expectSegment().flags(ACK).ack(rcv);
        }
        assertEquals(0, count(TcpStats.Counter.INVALID_SEGMENT_ACKS_RATE_LIMITED));
    }
}
