package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TestSegment.tcp;

import io.jnetstack.header.TcpOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The receiver's side of SACK (RFC 2018 §4): blocks for out-of-order data, most recent first. */
class TcpSackReceiverTest {
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;
    private static final TcpOptions SACK_PERMITTED = new TcpOptions(1460, -1, true, false, 0, 0, new int[0]);

    @Test
    void outOfOrderSegmentIsReportedInASackBlock() {
        ctx.establishActive(SACK_PERMITTED);
        ctx.inject(tcp().flags(ACK).seq(rcv + 1000).ack(ctx.iss + 1).payload(bytes(500, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv).sackBlocks(rcv + 1000, rcv + 1500);
    }

    @Test
    void blockOfTheMostRecentSegmentComesFirst() {
        ctx.establishActive(SACK_PERMITTED);
        ctx.inject(tcp().flags(ACK).seq(rcv + 1000).ack(ctx.iss + 1).payload(bytes(500, 1)));
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv + 3000).ack(ctx.iss + 1).payload(bytes(500, 1)));
        ctx.expectSegment().ack(rcv).sackBlocks(rcv + 3000, rcv + 3500, rcv + 1000, rcv + 1500);
    }

    @Test
    void noSackBlocksWhenThePeerDidNotPermitSack() {
        ctx.establishActive(TestSegment.mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv + 1000).ack(ctx.iss + 1).payload(bytes(500, 1)));
        ctx.expectSegment().ack(rcv).noOptions();
    }

    @Test
    void dataSegmentCarryingSackBlocksShrinksItsPayloadToFitTheMtu() {
        TcpEndpoint ep = ctx.establishActive(new TcpOptions(1460, -1, true, true, 7, 0, new int[0]));
        ctx.inject(tcp().flags(ACK).seq(rcv + 1000).ack(ctx.iss + 1).payload(bytes(500, 1))
                .options(TestSegment.timestamps(8, 0)));
        ctx.expectSegment();
        TcpTestContext.write(ep, bytes(3000, 2));
        EmittedSegment first = ctx.expectSegment().sackBlocks(rcv + 1000, rcv + 1500);
        assertEquals(TcpTestContext.MTU - 20, first.bytes.length, "a full segment fills the MTU exactly");
    }

    @Test
    void filledHoleLeavesNoSackBlock() {
        ctx.establishActive(SACK_PERMITTED);
        ctx.inject(tcp().flags(ACK).seq(rcv + 1000).ack(ctx.iss + 1).payload(bytes(500, 1)));
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(1000, 1)));
        ctx.expectSegment().ack(rcv + 1500).noOptions();
    }
}
