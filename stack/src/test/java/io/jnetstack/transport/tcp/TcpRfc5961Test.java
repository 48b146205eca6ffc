package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Blind in-window attacks (RFC 5961): RST and SYN are challenged, ACKs must be acceptable. */
class TcpRfc5961Test {
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    private long challengeAcks() {
        return ctx.protocol.stats().get(TcpStats.Counter.CHALLENGE_ACKS_SENT);
    }

    @Test
    void resetExactlyAtRcvNxtResetsTheConnection() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(RST).seq(rcv));
        assertEquals(TcpState.CLOSED, ep.state());
        SocketException e = assertInstanceOf(SocketException.class, ep.getAndClearError());
        assertEquals("Connection reset", e.getMessage());
        ctx.expectNoSegment();
    }

    @Test
    void resetElsewhereInTheWindowGetsAChallengeAck() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(RST).seq(rcv + 100));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).ack(rcv);
        assertEquals(TcpState.ESTABLISHED, ep.state());
        assertEquals(1, challengeAcks());
    }

    @Test
    void resetOutsideTheWindowIsDroppedSilently() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(RST).seq(rcv + 10_000_000));
        ctx.expectNoSegment();
        assertEquals(TcpState.ESTABLISHED, ep.state());
    }

    @Test
    void synInASynchronizedStateGetsAChallengeAck() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(SYN).seq(rcv + 50));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).ack(rcv);
        assertEquals(TcpState.ESTABLISHED, ep.state());
        assertEquals(1, challengeAcks());
    }

    @Test
    void ackOlderThanTheMaximumWindowIsChallengedAndItsDataDropped() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1 - 40_000).payload(bytes(10, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv);
        assertEquals(0, read(ep, 100).length);
        assertEquals(1, challengeAcks());
    }

    @Test
    void ackOfDataNeverSentIsAnsweredAndItsDataDropped() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 5000).payload(bytes(10, 1)));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).ack(rcv);
        assertEquals(0, read(ep, 100).length);
    }

    @Test
    void segmentOutsideTheReceiveWindowIsAnsweredWithAnAck() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv - 5000).ack(ctx.iss + 1).payload(bytes(10, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv);
        assertEquals(0, read(ep, 100).length);
    }
}
