package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL_MSS;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpOptions;
import io.jnetstack.waiter.Events;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import org.junit.jupiter.api.Test;

/** The three-way handshake, active and passive, and simultaneous open (RFC 9293 §3.5). */
class TcpHandshakeTest {
    /** The window scale that covers the default 4 MiB auto-tuning ceiling (RFC 7323 §2.3). */
    private static final int SCALE_FOR_MAX_BUFFER = 7;
    private final TcpTestContext ctx = new TcpTestContext();

    @Test
    void connectSendsSynWithMssWindowScaleSackPermittedAndTimestamps() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        ctx.expectSegment().flags(SYN).ack(0).window(65535).mss(LOCAL_MSS).windowScale(SCALE_FOR_MAX_BUFFER).sackPermitted(true).tsEcr(0);
        assertEquals(TcpState.SYN_SENT, ep.state());
    }

    @Test
    void synAckCompletesActiveOpenWithAckAndOutEvent() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        TcpTestContext.EventLog events = TcpTestContext.watch(ep);
        ctx.establishActive(ep, mss(1460), 30000);
        assertTrue(events.saw(Events.OUT));
        assertEquals(Events.OUT, ep.readiness(Events.ALL));
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.ACTIVE_OPENS));
    }

    @Test
    void synAckWithUnacceptableAckIsAnsweredWithResetAtItsAck() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        int iss = ctx.expectSegment().seq();
        ctx.inject(tcp().flags(SYN | ACK).seq(REMOTE_ISN).ack(iss + 5));
        ctx.expectSegment().flags(RST).seq(iss + 5);
        assertEquals(TcpState.SYN_SENT, ep.state());
    }

    @Test
    void resetWithAcceptableAckRefusesTheConnection() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        int iss = ctx.expectSegment().seq();
        ctx.inject(tcp().flags(RST | ACK).seq(0).ack(iss + 1));
        assertEquals(TcpState.CLOSED, ep.state());
        assertEquals(Events.IN | Events.OUT | Events.ERR | Events.HUP, ep.readiness(Events.ALL));
        ConnectException e = assertInstanceOf(ConnectException.class, ep.getAndClearError());
        assertEquals("Connection refused", e.getMessage());
        ctx.expectNoSegment();
    }

    @Test
    void resetWithoutAckInSynSentIsIgnored() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        ctx.expectSegment();
        ctx.inject(tcp().flags(RST).seq(REMOTE_ISN));
        assertEquals(TcpState.SYN_SENT, ep.state());
    }

    @Test
    void connectToAnUnroutableAddressFailsAtOnce() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        assertThrows(NoRouteToHostException.class, () -> ep.connect(TcpTestContext.UNREACHABLE, 80));
        ctx.expectNoSegment();
    }

    @Test
    void synToListenerIsAnsweredWithSynAckMirroringTheOfferedOptions() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN).options(new TcpOptions(1000, 2, true, true, 777, 0, new int[0])));
        ctx.expectSegment().flags(SYN | ACK).ack(REMOTE_ISN + 1).window(65535).mss(LOCAL_MSS).windowScale(SCALE_FOR_MAX_BUFFER)
                .sackPermitted(true).tsEcr(777);
    }

    @Test
    void synAckToSynWithoutOptionsCarriesOnlyMss() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        ctx.expectSegment().flags(SYN | ACK).mss(LOCAL_MSS).windowScale(-1).sackPermitted(false).noTimestamps();
    }

    @Test
    void finalAckOfPassiveOpenQueuesTheConnectionForAccept() {
        TcpEndpoint listener = ctx.listen(8);
        TcpTestContext.EventLog events = TcpTestContext.watch(listener);
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN).options(mss(1460)));
        int iss = ctx.expectSegment().seq();
        assertNull(listener.accept());
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        assertTrue(events.saw(Events.IN));
        TcpEndpoint child = listener.accept();
        assertNotNull(child);
        assertEquals(TcpState.ESTABLISHED, child.state());
        assertEquals(TcpTestContext.REMOTE, child.remoteAddress());
        assertEquals(TcpTestContext.REMOTE_PORT, child.remotePort());
        assertEquals(1460, child.info().sndMss());
        ctx.expectNoSegment();
    }

    @Test
    void retransmittedSynInSynReceivedGetsTheSameSynAck() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        int iss = ctx.expectSegment().seq();
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        ctx.expectSegment().flags(SYN | ACK).seq(iss).ack(REMOTE_ISN + 1);
    }

    @Test
    void ackWithWrongNumberInSynReceivedIsAnsweredWithReset() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN));
        int iss = ctx.expectSegment().seq();
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 100));
        ctx.expectSegment().flags(RST).seq(iss + 100);
    }

    @Test
    void ackToListenerWithoutConnectionIsAnsweredWithReset() {
        ctx.listen(8);
        ctx.inject(tcp().flags(ACK).seq(5).ack(1234));
        ctx.expectSegment().flags(RST).seq(1234);
    }

    @Test
    void simultaneousOpenGoesThroughSynReceived() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        int iss = ctx.expectSegment().seq();
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN).options(mss(1460)));
        ctx.expectSegment().flags(SYN | ACK).seq(iss).ack(REMOTE_ISN + 1);
        assertEquals(TcpState.SYN_RECEIVED, ep.state());
        ctx.inject(tcp().flags(SYN | ACK).seq(REMOTE_ISN).ack(iss + 1));
        ctx.inject(tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        assertEquals(TcpState.ESTABLISHED, ep.state());
    }
}
