package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.header.TcpHeader.URG;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.header.TcpOptions;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Urgent data (RFC 9293 §3.8.5, the pointer read as RFC 6093 §4 and Linux read it: just past
 * the urgent byte). Sending marks the segments up to the urgent byte with URG; receiving, as
 * Linux's tcp_recvmsg does, a read stops before the urgent byte, which is dropped from the stream
 * unless SO_OOBINLINE keeps it there.
 */
class TcpUrgentDataTest {
    private final TcpTestContext ctx = new TcpTestContext();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readText(TcpEndpoint ep) {
        return new String(read(ep, 100), StandardCharsets.US_ASCII);
    }

    /** The peer sends {@code payload} as the next in-order segment, with URG and {@code pointer} if it is positive. */
    private void receive(int offset, String payload, int pointer) {
        TestSegment s = TestSegment.tcp().flags(ACK | PSH).seq(REMOTE_ISN + 1 + offset).ack(ctx.iss + 1).payload(text(payload));
        ctx.inject(pointer > 0 ? s.urgent(pointer) : s);
    }

    @Test
    void theUrgentByteGoesAtOnceWithThePointerJustPastIt() throws IOException {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        write(ep, text("ab"));
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 1).payload(text("ab"));
        // "ab" is unacknowledged, so Nagle would hold a small segment back; urgent data does not wait.
        assertEquals(1, ep.writeUrgent((byte) 'U'));
        ctx.expectSegment().flags(ACK | PSH | URG).seq(ctx.iss + 3).urgentPointer(1).payload(text("U"));
        ctx.inject(TestSegment.tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 4));
        write(ep, text("c"));
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 4).urgentPointer(0).payload(text("c"));
    }

    @Test
    void aSegmentPastTheUrgentByteCarriesNoURG() throws IOException {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        ep.setNoDelay(true);
        ep.writeUrgent((byte) 'U');
        ctx.expectSegment().flags(ACK | PSH | URG).seq(ctx.iss + 1).urgentPointer(1);
        write(ep, text("d"));
        // Past SND.UP: no URG, though urgent mode lasts until the urgent byte is acknowledged.
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 2).urgentPointer(0);
    }

    @Test
    void withSegmentationOffloadUrgentModeSendsEachSegmentWithItsOwnPointer() throws IOException {
        ctx.offloadSegmentation(65_515);
        TcpEndpoint ep = ctx.establishActive(ctx.protocol.newEndpoint(), TestSegment.mss(1000), 1000);
        ep.setNoDelay(true);
        write(ep, new byte[3000]);
        ctx.expectSegment().flags(ACK).seq(ctx.iss + 1).payloadLength(1000); // the peer's window holds the rest
        ep.writeUrgent((byte) 'U');
        int sndUp = ctx.iss + 1 + 3001;
        ctx.inject(TestSegment.tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1001).window(65535));
        // Without urgent data these 2001 bytes would leave as one packet for the link to cut.
        for (int seq = ctx.iss + 1001; seq < sndUp; seq += 1000) {
            ctx.expectSegment().flags(ACK | URG | (sndUp - seq <= 1000 ? PSH : 0)).seq(seq).segmentSize(0)
                    .payloadLength(Math.min(1000, sndUp - seq)).urgentPointer(sndUp - seq);
        }
        ctx.expectNoSegment();
    }

    @Test
    void withoutOobInlineAReadStopsAtTheUrgentByteAndTheByteIsDropped() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        receive(0, "abUcd", 3);
        assertEquals(2, ep.available(), "only the bytes before the urgent byte, as Linux's FIONREAD");
        assertEquals("ab", readText(ep));
        assertEquals("cd", readText(ep));
        assertEquals(0, ep.available());
    }

    @Test
    void withOobInlineTheUrgentByteStaysInTheStream() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        ep.setOobInline(true);
        receive(0, "abUcd", 3);
        assertEquals(5, ep.available());
        assertEquals("ab", readText(ep), "a read still stops at the mark");
        assertEquals("Ucd", readText(ep));
    }

    @Test
    void aPointerAheadOfItsByteMarksTheByteWhenItArrives() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        receive(0, "ab", 4); // urgent byte: the 4th from this segment's start, not in it
        receive(2, "cUe", 0);
        assertEquals("abc", readText(ep));
        assertEquals("e", readText(ep));
    }

    @Test
    void aNewerUrgentByteTurnsAnOlderUnreadOneIntoOrdinaryData() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        receive(0, "aUb", 2);
        receive(3, "cVd", 2);
        assertEquals("aUbc", readText(ep));
        assertEquals("d", readText(ep));
    }

    @Test
    void anUrgentByteAloneIsNotReadable() {
        TcpEndpoint ep = ctx.establishActive(TcpOptions.NONE);
        receive(0, "U", 1);
        assertEquals(0, ep.readiness(Events.IN), "no data a read would return");
        assertEquals("", readText(ep));
        receive(1, "x", 0);
        assertEquals(Events.IN, ep.readiness(Events.IN));
        assertEquals("x", readText(ep));
    }
}
