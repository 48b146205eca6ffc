package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.header.TcpOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.10.7.4 in TIME-WAIT after the application closed the connection, when it keeps
 * only its sequence numbers, TS.Recent and timer (TcpCloseTest covers FIN retransmission and SYN
 * reuse): resets, PAWS, acknowledgments of unsent data, and a connection closed only once it was
 * already in TIME-WAIT.
 */
class TcpTimeWaitTest {
    private static final Duration TIME_WAIT = Duration.ofSeconds(10);
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().timeWait(TIME_WAIT).build());
    private final int rcv = REMOTE_ISN + 1;

    /** Active close to TIME-WAIT; returns the window the ACK of the peer's FIN offered. */
    private int closeIntoTimeWait(TcpEndpoint ep) {
        ep.close();
        ctx.expectSegment().flags(ACK | FIN).seq(ctx.iss + 1);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        EmittedSegment ackOfFin = ctx.expectSegment().flags(ACK).seq(ctx.iss + 2).ack(rcv + 1);
        assertEquals(TcpState.TIME_WAIT, ep.state());
        return ackOfFin.header.window();
    }

    @Test
    void resetAtRcvNxtEndsTimeWait() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        closeIntoTimeWait(ep);
        ctx.inject(tcp().flags(RST).seq(rcv + 1));
        assertEquals(TcpState.CLOSED, ep.state());
        ctx.expectNoSegment();
    }

    @Test
    void resetElsewhereInTheWindowIsChallenged() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        closeIntoTimeWait(ep);
        ctx.inject(tcp().flags(RST).seq(rcv + 100));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 2).ack(rcv + 1); // RFC 5961 §3.2
        assertEquals(TcpState.TIME_WAIT, ep.state());
    }

    @Test
    void anAckOfDataNeverSentIsAnsweredWithTheSameWindow() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        int window = closeIntoTimeWait(ep);
        ctx.inject(tcp().flags(ACK).seq(rcv + 1).ack(ctx.iss + 500));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 2).ack(rcv + 1).window(window);
        assertEquals(TcpState.TIME_WAIT, ep.state());
    }

    @Test
    void anOldTimestampIsAnsweredAndChangesNothing() {
        TcpEndpoint ep = ctx.establishActive(new TcpOptions(1460, -1, false, true, 100, 0, new int[0]));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2).options(TestSegment.timestamps(200, 0)));
        ctx.expectSegment().flags(ACK).tsEcr(200);
        ctx.advance(TIME_WAIT.minusSeconds(1));
        // RFC 7323 §5.3: TSval 150 < TS.Recent 200, an old duplicate: ACKed, and 2·MSL runs on.
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv + 1).ack(ctx.iss + 2).options(TestSegment.timestamps(150, 0)));
        ctx.expectSegment().flags(ACK).ack(rcv + 1).tsEcr(200);
        ctx.advance(Duration.ofSeconds(1));
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void dataInTheWindowIsDroppedUnanswered() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        closeIntoTimeWait(ep);
        ctx.inject(tcp().flags(ACK).seq(rcv + 1).ack(ctx.iss + 2).payload(bytes(10, 1)));
        ctx.expectNoSegment();
        assertEquals(TcpState.TIME_WAIT, ep.state());
    }

    @Test
    void closingAnEndAlreadyInTimeWaitKeepsItsTimerAndAnswers() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.shutdownOutput();
        ctx.expectSegment().flags(ACK | FIN).seq(ctx.iss + 1);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        int window = ctx.expectSegment().flags(ACK).ack(rcv + 1).header.window();
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.advance(TIME_WAIT.minusSeconds(1));
        ep.close();
        ctx.expectNoSegment();
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2)); // the peer missed our ACK
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 2).ack(rcv + 1).window(window);
        ctx.advance(TIME_WAIT.minusMillis(1));
        assertEquals(TcpState.TIME_WAIT, ep.state(), "the retransmitted FIN restarted 2·MSL");
        ctx.advanceMillis(1);
        assertEquals(TcpState.CLOSED, ep.state());
    }
}
