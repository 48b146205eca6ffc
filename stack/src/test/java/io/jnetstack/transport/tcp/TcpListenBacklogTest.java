package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpOptions;
import org.junit.jupiter.api.Test;

/** The listener's SYN queue and accept queue, and SYN cookies when the SYN queue is full (RFC 4987 §3.6). */
class TcpListenBacklogTest {
    private static final int SYN_QUEUE = 2;
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().synQueueLength(SYN_QUEUE).build());

    private long count(TcpStats.Counter c) {
        return ctx.protocol.stats().get(c);
    }

    private EmittedSegment synFrom(int port) {
        ctx.inject(tcp().from(port).flags(SYN).seq(REMOTE_ISN).options(new TcpOptions(1460, 7, true, true, 1, 0, new int[0])));
        return ctx.expectSegment();
    }

    @Test
    void synsBeyondTheSynQueueAreAnsweredWithStatelessCookies() {
        ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        int before = ctx.demuxer.size();
        synFrom(1003).flags(SYN | ACK).ack(REMOTE_ISN + 1).mss(TcpTestContext.LOCAL_MSS);
        assertEquals(1, count(TcpStats.Counter.SYN_COOKIES_SENT));
        assertEquals(before, ctx.demuxer.size(), "a cookie keeps no state");
    }

    @Test
    void cookieSynAckToASynWithTimestampsOffersWindowScaleSackAndTimestamps() {
        ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        synFrom(1003).flags(SYN | ACK).windowScale(TcpEndpoint.windowScaleFor(ctx.protocol.config().maxReceiveBufferSize()))
                .sackPermitted(true).tsEcr(1);
    }

    @Test
    void cookieSynAckToASynWithoutTimestampsCarriesOnlyMss() {
        ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        ctx.inject(tcp().from(1003).flags(SYN).seq(REMOTE_ISN).options(new TcpOptions(1460, 7, true, false, 0, 0, new int[0])));
        ctx.expectSegment().flags(SYN | ACK).mss(TcpTestContext.LOCAL_MSS).windowScale(-1).sackPermitted(false).noTimestamps();
    }

    @Test
    void cookieConnectionKeepsTheOptionsEchoedInItsTimestamp() {
        TcpEndpoint listener = ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        EmittedSegment synAck = synFrom(1003);
        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(synAck.seq() + 1)
                .options(TestSegment.timestamps(2, synAck.tsVal())));
        TcpInfo info = listener.accept().info();
        assertTrue(info.sack());
        assertTrue(info.timestamps());
        assertEquals(7, info.sndWindowScale());
        assertEquals(1460 - 12, info.sndMss());
    }

    @Test
    void ackCarryingAValidCookieEstablishesAConnection() {
        TcpEndpoint listener = ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        int cookie = synFrom(1003).seq();
        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(cookie + 1));
        assertEquals(1, count(TcpStats.Counter.SYN_COOKIES_VALIDATED));
        TcpEndpoint child = listener.accept();
        assertNotNull(child);
        assertEquals(TcpState.ESTABLISHED, child.state());
        assertEquals(1003, child.remotePort());
        assertTrue(child.info().sndMss() <= 1460);
    }

    @Test
    void ackWithAForgedCookieIsAnsweredWithReset() {
        TcpEndpoint listener = ctx.listen(128);
        ctx.inject(tcp().from(1009).flags(ACK).seq(REMOTE_ISN + 1).ack(123456));
        ctx.expectSegment().flags(RST).seq(123456);
        assertEquals(1, count(TcpStats.Counter.SYN_COOKIES_FAILED));
        assertNull(listener.accept());
    }

    @Test
    void synIsDroppedWhileTheAcceptQueueIsFull() {
        ctx.listen(1);
        int iss = synFrom(1001).seq();
        ctx.inject(tcp().from(1001).flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        ctx.inject(tcp().from(1002).flags(SYN).seq(REMOTE_ISN));
        ctx.expectNoSegment();
        assertEquals(1, count(TcpStats.Counter.LISTEN_OVERFLOWS));
    }

    @Test
    void anAckThatFindsTheAcceptQueueFullIsIgnoredAndARetransmissionCompletesTheHandshakeOnceThereIsRoom() {
        TcpEndpoint listener = ctx.listen(2);
        int iss1 = synFrom(1001).seq();
        int iss2 = synFrom(1002).seq();
        ctx.inject(tcp().from(1001).flags(ACK).seq(REMOTE_ISN + 1).ack(iss1 + 1));
        int iss3 = synFrom(1003).seq(); // one queued, one half-open: room for a second half-open child
        ctx.inject(tcp().from(1002).flags(ACK).seq(REMOTE_ISN + 1).ack(iss2 + 1));

        // Two queued: 1003's ACK finds no room. Linux (tcp_abort_on_overflow=0) ignores it.
        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(iss3 + 1).payload(new byte[] {7}));
        ctx.expectNoSegment();
        assertEquals(1, count(TcpStats.Counter.LISTEN_OVERFLOWS));

        assertEquals(1001, listener.accept().remotePort());
        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(iss3 + 1).payload(new byte[] {7}));
        assertEquals(1002, listener.accept().remotePort());
        TcpEndpoint third = listener.accept();
        assertNotNull(third, "the retransmitted segment completed the handshake");
        assertEquals(TcpState.ESTABLISHED, third.state());
        assertEquals(1, third.available(), "and its byte arrived");
    }

    @Test
    void underMemoryPressureASynIsStillAnswered() {
        ctx.listen(128);
        TcpMemory memory = ctx.protocol.memory();
        memory.charge(memory.limit() - memory.used()); // past three quarters, and at the limit
        assertTrue(memory.underPressure());

        synFrom(1001).flags(SYN | ACK);
        assertEquals(0, count(TcpStats.Counter.MEMORY_LIMIT_REFUSALS));
    }

    @Test
    void withTcpMemoryExhaustedASynIsDroppedAndCounted() {
        ctx.listen(128);
        TcpMemory memory = ctx.protocol.memory();
        memory.charge(memory.floorCeiling() - memory.used());
        assertTrue(memory.exhausted());

        ctx.inject(tcp().from(1001).flags(SYN).seq(REMOTE_ISN));
        ctx.expectNoSegment();
        assertEquals(1, count(TcpStats.Counter.MEMORY_LIMIT_REFUSALS));
        assertEquals(1, count(TcpStats.Counter.LISTEN_DROPS));
    }

    @Test
    void aCookiesAckWithTcpMemoryExhaustedIsDroppedLikeASynAndItsRetransmissionConnectsOnceMemoryIsFree() {
        TcpEndpoint listener = ctx.listen(128);
        synFrom(1001);
        synFrom(1002);
        int cookie = synFrom(1003).seq();
        TcpMemory memory = ctx.protocol.memory();
        long held = memory.floorCeiling() - memory.used();
        memory.charge(held);
        assertTrue(memory.exhausted());

        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(cookie + 1));
        ctx.expectNoSegment();
        assertNull(listener.accept());
        assertEquals(1, count(TcpStats.Counter.MEMORY_LIMIT_REFUSALS));

        memory.release(held);
        ctx.inject(tcp().from(1003).flags(ACK).seq(REMOTE_ISN + 1).ack(cookie + 1));
        TcpEndpoint child = listener.accept();
        assertNotNull(child);
        assertEquals(1003, child.remotePort());
    }

    @Test
    void acceptingMakesRoomForTheNextConnection() {
        TcpEndpoint listener = ctx.listen(1);
        int iss = synFrom(1001).seq();
        ctx.inject(tcp().from(1001).flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        assertNotNull(listener.accept());
        synFrom(1002).flags(SYN | ACK);
    }

    @Test
    void synFloodLeavesMemoryBoundedAndARealClientStillConnects() {
        TcpEndpoint listener = ctx.listen(128);
        for (int port = 1024; port < 11024; port++) {
            ctx.inject(tcp().from(port).flags(SYN).seq(port * 7919));
        }
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment();
        }
        assertTrue(ctx.demuxer.size() <= 1 + SYN_QUEUE, "half-open connections are bounded by the SYN queue");
        int cookie = synFrom(50000).seq();
        ctx.inject(tcp().from(50000).flags(ACK).seq(REMOTE_ISN + 1).ack(cookie + 1));
        TcpEndpoint client = listener.accept();
        assertNotNull(client);
        assertEquals(50000, client.remotePort());
    }

    @Test
    void closingTheListenerResetsConnectionsNobodyAccepted() {
        TcpEndpoint listener = ctx.listen(8);
        int iss = synFrom(1001).seq();
        ctx.inject(tcp().from(1001).flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        listener.close();
        ctx.expectSegment().flags(RST | ACK).ports(TcpTestContext.LOCAL_PORT, 1001);
        assertEquals(TcpState.CLOSED, listener.state());
        assertEquals(0, ctx.demuxer.size());
    }

    @Test
    void closedListenerPortAnswersSynWithReset() {
        TcpEndpoint listener = ctx.listen(8);
        listener.close();
        ctx.inject(tcp().flags(SYN).seq(REMOTE_ISN).options(mss(1460)));
        ctx.expectSegment().flags(RST | ACK).ack(REMOTE_ISN + 1);
    }

    @Test
    void optionsAndShutdownOnAListenerChangeNothingOnTheWireAndItStillAccepts() {
        TcpEndpoint listener = ctx.listen(8);
        listener.setNoDelay(true);
        listener.shutdownOutput();
        ctx.expectNoSegment();
        int iss = synFrom(1001).seq();
        ctx.inject(tcp().from(1001).flags(ACK).seq(REMOTE_ISN + 1).ack(iss + 1));
        assertNotNull(listener.accept());
    }
}
