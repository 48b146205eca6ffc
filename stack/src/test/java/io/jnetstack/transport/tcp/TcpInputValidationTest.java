package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.FIN;
import static io.jnetstack.header.TcpHeader.RST;
import static io.jnetstack.header.TcpHeader.SYN;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.stack.PacketInfo;
import org.junit.jupiter.api.Test;

/** Bad segments are counted and dropped (RFC 9293 §3.1, §3.10.7); closed ports answer RST (§3.10.7.1). */
class TcpInputValidationTest {
    private final TcpTestContext ctx = new TcpTestContext();

    private long count(TcpStats.Counter c) {
        return ctx.protocol.stats().get(c);
    }

    @Test
    void segmentWithBadChecksumIsCountedAndDropped() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(1).badChecksum());
        assertEquals(1, count(TcpStats.Counter.CHECKSUM_ERRORS));
        ctx.expectNoSegment();
    }

    @Test
    void segmentShorterThanAHeaderIsMalformed() {
        byte[] shortPacket = new byte[12];
        ctx.protocol.handlePacket(new PacketInfo(TcpTestContext.REMOTE, TcpTestContext.LOCAL, 1, 64, 0),
                PacketBuffer.wrap(shortPacket, 0, shortPacket.length));
        assertEquals(1, count(TcpStats.Counter.MALFORMED_SEGMENTS));
    }

    @Test
    void dataOffsetBelowTheFixedHeaderIsMalformed() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(1).dataOffset(16));
        assertEquals(1, count(TcpStats.Counter.MALFORMED_SEGMENTS));
        ctx.expectNoSegment();
    }

    @Test
    void dataOffsetBeyondTheSegmentIsMalformed() {
        ctx.listen(8);
        ctx.inject(tcp().flags(SYN).seq(1).dataOffset(40));
        assertEquals(1, count(TcpStats.Counter.MALFORMED_SEGMENTS));
        ctx.expectNoSegment();
    }

    @Test
    void optionOverrunningTheHeaderIsMalformed() {
        ctx.listen(8);
        // data offset 24: 4 option bytes, an MSS option whose length says 8
        ctx.inject(tcp().flags(SYN).seq(1).dataOffset(24).payload(new byte[] {2, 8, 5, (byte) 0xb4}));
        assertEquals(1, count(TcpStats.Counter.MALFORMED_SEGMENTS));
        ctx.expectNoSegment();
    }

    @Test
    void synToClosedPortIsAnsweredWithResetAcknowledgingIt() {
        ctx.inject(tcp().to(9).flags(SYN).seq(500));
        ctx.expectSegment().flags(RST | ACK).seq(0).ack(501).ports(9, TcpTestContext.REMOTE_PORT).window(0);
        assertEquals(1, count(TcpStats.Counter.RESETS_SENT));
    }

    @Test
    void dataToClosedPortIsAcknowledgedInTheReset() {
        ctx.inject(tcp().to(9).flags(FIN).seq(500).payload(new byte[10]));
        ctx.expectSegment().flags(RST | ACK).seq(0).ack(511);
    }

    @Test
    void ackToClosedPortIsAnsweredWithResetAtItsAckNumber() {
        ctx.inject(tcp().to(9).flags(ACK).seq(500).ack(777));
        ctx.expectSegment().flags(RST).seq(777);
    }

    @Test
    void resetToClosedPortIsNotAnswered() {
        ctx.inject(tcp().to(9).flags(RST).seq(500));
        ctx.expectNoSegment();
    }
}
