package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connection termination (RFC 9293 §3.6): active, passive, simultaneous, half-close, TIME-WAIT, abort. */
class TcpCloseTest {
    private static final Duration TIME_WAIT = Duration.ofSeconds(10);
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().timeWait(TIME_WAIT).build());
    private final int rcv = REMOTE_ISN + 1;

    @Test
    void activeCloseGoesThroughFinWait1FinWait2AndTimeWaitToClosed() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN).seq(ctx.iss + 1).ack(rcv);
        assertEquals(TcpState.FIN_WAIT_1, ep.state());
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 2));
        assertEquals(TcpState.FIN_WAIT_2, ep.state());
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 2).ack(rcv + 1);
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.advance(TIME_WAIT.minusMillis(1));
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.advanceMillis(1);
        assertEquals(TcpState.CLOSED, ep.state());
        ctx.expectNoSegment();
    }

    @Test
    void finIsSentAfterTheQueuedData() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        byte[] data = bytes(100, 1);
        write(ep, data);
        ctx.expectSegment().flags(ACK | PSH).payload(data);
        ep.close();
        ctx.expectSegment().flags(ACK | FIN).seq(ctx.iss + 101);
    }

    @Test
    void timeWaitAcknowledgesARetransmittedFinAndRestartsTwoMsl() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        ctx.expectSegment();
        ctx.advance(TIME_WAIT.minusSeconds(1));
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        ctx.expectSegment().flags(ACK).ack(rcv + 1);
        ctx.advance(TIME_WAIT.minusMillis(1));
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.advanceMillis(1);
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void finAndAckOfOurFinTogetherGoStraightToTimeWait() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        assertEquals(TcpState.TIME_WAIT, ep.state());
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAckToClosed() throws IOException {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        TcpTestContext.EventLog events = TcpTestContext.watch(ep);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 1));
        ctx.expectSegment().flags(ACK).ack(rcv + 1);
        assertEquals(TcpState.CLOSE_WAIT, ep.state());
        assertTrue(events.saw(Events.IN));
        assertEquals(-1, ep.read(ByteBuffer.allocate(10)));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN).seq(ctx.iss + 1).ack(rcv + 1);
        assertEquals(TcpState.LAST_ACK, ep.state());
        ctx.inject(tcp().flags(ACK).seq(rcv + 1).ack(ctx.iss + 2));
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWait() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 1));
        ctx.expectSegment().flags(ACK).ack(rcv + 1);
        assertEquals(TcpState.CLOSING, ep.state());
        ctx.inject(tcp().flags(ACK).seq(rcv + 1).ack(ctx.iss + 2));
        assertEquals(TcpState.TIME_WAIT, ep.state());
    }

    @Test
    void afterShutdownOutputThePeerMayKeepSending() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.shutdownOutput();
        ctx.expectSegment().flags(ACK | FIN);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 2));
        byte[] data = bytes(200, 3);
        ctx.inject(tcp().flags(ACK | PSH).seq(rcv).ack(ctx.iss + 2).payload(data));
        assertArrayEquals(data, read(ep, 1000));
        assertEquals(TcpState.FIN_WAIT_2, ep.state());
        assertThrows(SocketException.class, () -> ep.write(ByteBuffer.wrap(data)));
    }

    @Test
    void readAfterShutdownInputReturnsEndOfStream() throws IOException {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.shutdownInput();
        assertEquals(-1, ep.read(ByteBuffer.allocate(10)));
    }

    @Test
    void closeWithLingerZeroSendsReset() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.setLinger(0);
        ep.close();
        ctx.expectSegment().flags(RST | ACK).seq(ctx.iss + 1).ack(rcv);
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void closeWithUnreadDataSendsReset() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(10, 1)));
        ep.close();
        ctx.expectSegment().flags(RST | ACK).ack(rcv + 10);
    }

    @Test
    void dataArrivingAfterCloseIsAnsweredWithReset() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 2).payload(bytes(10, 1)));
        ctx.expectSegment().flags(RST | ACK).seq(ctx.iss + 2);
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void orphanedFinWait2ConnectionIsDroppedAfterTheTimeout() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.close();
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 2));
        assertEquals(TcpState.FIN_WAIT_2, ep.state());
        ctx.advance(TIME_WAIT);
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void closedConnectionReleasesItsFourTupleAndPort() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        int port = ep.localPort();
        ep.setLinger(0);
        ep.close();
        ctx.expectSegment();
        assertNull(ctx.demuxer.find(TcpProtocol.PROTOCOL_NUMBER, TcpTestContext.LOCAL, port, TcpTestContext.REMOTE,
                TcpTestContext.REMOTE_PORT));
        assertTrue(!ctx.ports.isReserved(TcpProtocol.PROTOCOL_NUMBER, TcpTestContext.LOCAL, port));
    }

    @Test
    void synWithHigherSequenceNumberReusesATimeWaitConnection() {
        TcpEndpoint ep = ctx.establishPassive(mss(1460));
        ep.close();
        ctx.expectSegment().flags(ACK | FIN);
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        ctx.expectSegment();
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.inject(tcp().flags(SYN).seq(rcv + 100_000));
        assertEquals(TcpState.CLOSED, ep.state());
        ctx.expectSegment().flags(SYN | ACK).ack(rcv + 100_001); // the listener answers the new incarnation
    }

    @Test
    void synWithNewerTimestampReusesATimeWaitConnectionWhateverItsSequenceNumber() {
        TcpEndpoint ep = ctx.establishPassive(new io.jnetstack.header.TcpOptions(1460, -1, false, true, 100, 0, new int[0]));
        ep.close();
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2).options(TestSegment.timestamps(200, 0)));
        ctx.expectSegment();
        ctx.inject(tcp().flags(SYN).seq(rcv - 1000).options(TestSegment.timestamps(300, 0)));
        assertEquals(TcpState.CLOSED, ep.state());
        ctx.expectSegment().flags(SYN | ACK).ack(rcv - 999);
    }

    @Test
    void closeWhileConnectingSendsNothingMore() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        ctx.expectSegment().flags(SYN);
        ep.close();
        assertEquals(TcpState.CLOSED, ep.state());
        ctx.advance(Duration.ofSeconds(10));
        ctx.expectNoSegment();
    }

    @Test
    void establishedGaugeFollowsTheConnection() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.CURRENT_ESTABLISHED));
        ctx.inject(tcp().flags(RST).seq(rcv));
        assertEquals(0, ctx.protocol.stats().get(TcpStats.Counter.CURRENT_ESTABLISHED));
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.ESTABLISHED_RESETS));
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void stackShutdownAbortsEveryConnectionWithReset() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ctx.protocol.close();
        ctx.expectSegment().flags(RST | ACK);
        assertEquals(TcpState.CLOSED, ep.state());
    }

    @Test
    void synWithOldSequenceNumberDoesNotReuseATimeWaitConnection() {
        TcpEndpoint ep = ctx.establishPassive(mss(1460));
        ep.close();
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK | FIN).seq(rcv).ack(ctx.iss + 2));
        ctx.expectSegment();
        ctx.inject(tcp().flags(SYN).seq(rcv - 1000));
        assertEquals(TcpState.TIME_WAIT, ep.state());
        ctx.expectSegment().flags(ACK).ack(rcv + 1);
    }
}
