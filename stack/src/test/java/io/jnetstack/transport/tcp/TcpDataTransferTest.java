package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Sending and receiving data: segmentation, acknowledgment, windows (RFC 9293 §3.8, RFC 5681 §4.2). */
class TcpDataTransferTest {
    /** Below the 65535 an unscaled window can express, so the window field shows the buffer exactly. */
    private static final int BUFFER = 60_000;
    private final TcpTestContext ctx = new TcpTestContext(TcpTestContext.config().bufferSizes(BUFFER, BUFFER).build());
    private final int rcv = REMOTE_ISN + 1;

    @Test
    void writtenBytesLeaveInOneSegmentWithPush() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        byte[] data = bytes(100, 1);
        assertEquals(100, write(ep, data));
        ctx.expectSegment().flags(ACK | PSH).seq(ctx.iss + 1).ack(rcv).payload(data);
    }

    @Test
    void largeWriteIsCutIntoMssSegmentsUpToTheCongestionWindow() {
        TcpEndpoint ep = ctx.establishActive(mss(1000));
        write(ep, bytes(20_000, 2));
        int sent = 0;
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment().flags(ACK).seq(ctx.iss + 1 + sent).payloadLength(1000);
            sent += 1000;
        }
        assertEquals(ep.info().cwnd(), sent, "the initial window limits the burst");
    }

    @Test
    void writeAcceptsOnlyWhatTheSendBufferHoldsAndReportsNoRoomAsNotWritable() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        assertEquals(BUFFER, write(ep, bytes(100_000, 3)));
        assertEquals(0, write(ep, bytes(10, 3)));
        assertEquals(0, ep.readiness(Events.OUT));
    }

    @Test
    void acknowledgmentFreesSendBufferAndFiresOut() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(BUFFER, 3));
        TcpTestContext.EventLog events = TcpTestContext.watch(ep);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1 + 1460));
        assertTrue(events.saw(Events.OUT));
        assertEquals(1460, write(ep, bytes(5000, 4)));
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(10, 1));
        ctx.expectSegment().payloadLength(10);
        write(ep, bytes(10, 2));
        ctx.expectNoSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 11));
        ctx.expectSegment().seq(ctx.iss + 11).payloadLength(10);
    }

    @Test
    void noDelaySendsSmallSegmentsAtOnce() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        ep.setNoDelay(true);
        write(ep, bytes(10, 1));
        write(ep, bytes(10, 2));
        ctx.expectSegment().seq(ctx.iss + 1).payloadLength(10);
        ctx.expectSegment().seq(ctx.iss + 11).payloadLength(10);
    }

    @Test
    void inOrderDataIsReadableAndFiresIn() throws IOException {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        TcpTestContext.EventLog events = TcpTestContext.watch(ep);
        byte[] data = bytes(300, 5);
        ctx.inject(tcp().flags(ACK | PSH).seq(rcv).ack(ctx.iss + 1).payload(data));
        assertTrue(events.saw(Events.IN));
        ByteBuffer peeked = ByteBuffer.allocate(300);
        assertEquals(300, ep.peek(peeked));
        assertArrayEquals(data, read(ep, 1000));
        assertEquals(0, ep.readiness(Events.IN));
    }

    @Test
    void singleSegmentIsAcknowledgedAfterTheDelayedAckTimeout() {
        ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(100, 1)));
        ctx.expectNoSegment();
        ctx.advanceMillis(39);
        ctx.expectNoSegment();
        ctx.advanceMillis(1);
        ctx.expectSegment().flags(ACK).ack(rcv + 100);
    }

    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        ctx.establishActive(mss(1460));
        int full = TcpTestContext.LOCAL_MSS;
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(full, 1)));
        ctx.expectNoSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv + full).ack(ctx.iss + 1).payload(bytes(full, 2)));
        ctx.expectSegment().flags(ACK).ack(rcv + 2 * full);
    }

    @Test
    void outOfOrderSegmentIsAcknowledgedAtOnceWithDuplicateAck() {
        ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv + 100).ack(ctx.iss + 1).payload(bytes(50, 1)));
        ctx.expectSegment().flags(ACK).ack(rcv);
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.OUT_OF_ORDER_SEGMENTS));
    }

    @Test
    void segmentFillingTheHoleDeliversQueuedDataAndAcknowledgesAll() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        byte[] data = bytes(150, 9);
        ctx.inject(tcp().flags(ACK).seq(rcv + 100).ack(ctx.iss + 1).payload(java.util.Arrays.copyOfRange(data, 100, 150)));
        ctx.expectSegment();
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(java.util.Arrays.copyOfRange(data, 0, 100)));
        ctx.expectSegment().flags(ACK).ack(rcv + 150);
        assertArrayEquals(data, read(ep, 1000));
    }

    @Test
    void retransmittedDataIsAcknowledgedAndDeliveredOnce() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        byte[] data = bytes(100, 1);
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(data));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(data));
        ctx.expectSegment().flags(ACK).ack(rcv + 100);
        assertArrayEquals(data, read(ep, 1000));
    }

    @Test
    void advertisedWindowIsTheFreeReceiveBufferSpace() {
        ctx.establishActive(mss(1460));
        ctx.inject(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(4000, 1)));
        ctx.advanceMillis(40);
        ctx.expectSegment().ack(rcv + 4000).window(BUFFER - 4000);
    }

    @Test
    void fullReceiveBufferAdvertisesZeroWindowAndReadingReopensIt() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        int chunk = 1000;
        for (int off = 0; off < BUFFER; off += chunk) {
            int n = Math.min(chunk, BUFFER - off);
            ctx.inject(tcp().flags(ACK).seq(rcv + off).ack(ctx.iss + 1).payload(bytes(n, off)));
        }
        ctx.advanceMillis(40);
        EmittedSegment last = null;
        while (ctx.pendingSegments() > 0) {
            last = ctx.expectSegment();
        }
        last.ack(rcv + BUFFER).window(0);
        read(ep, BUFFER);
        ctx.expectSegment().flags(ACK).ack(rcv + BUFFER).window(BUFFER);
    }

    @Test
    void smallReadFromAFullBufferSendsNoWindowUpdate() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        for (int off = 0; off < BUFFER; off += 1000) {
            ctx.inject(tcp().flags(ACK).seq(rcv + off).ack(ctx.iss + 1).payload(bytes(Math.min(1000, BUFFER - off), off)));
        }
        ctx.advanceMillis(40);
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment();
        }
        read(ep, 100); // less than one MSS of new space: advertising it would invite silly small segments
        ctx.expectNoSegment();
    }

    @Test
    void dataBeyondTheWindowIsTrimmed() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        for (int off = 0; off < BUFFER - 500; off += 1000) {
            int n = Math.min(1000, BUFFER - 500 - off);
            ctx.inject(tcp().flags(ACK).seq(rcv + off).ack(ctx.iss + 1).payload(bytes(n, off)));
        }
        while (ctx.pendingSegments() > 0) {
            ctx.expectSegment();
        }
        ctx.inject(tcp().flags(ACK).seq(rcv + BUFFER - 500).ack(ctx.iss + 1).payload(bytes(1000, 1)));
        ctx.advanceMillis(40);
        ctx.expectSegment().ack(rcv + BUFFER).window(0);
        assertEquals(BUFFER, read(ep, 2 * BUFFER).length);
    }
}
