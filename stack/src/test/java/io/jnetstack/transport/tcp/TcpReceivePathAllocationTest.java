package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.stack.PacketInfo;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The receive path of a segment (parse, demultiplex, enter the connection, ACK processing) makes
 * no object per segment: the header view, options and segment are the thread's, reused; the
 * demultiplexer probes with the thread's key; a free connection is entered with no task.
 */
class TcpReceivePathAllocationTest {
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 20_000;
    /** Far below one object per segment (the smallest object is 16 bytes), above one-time costs. */
    private static final long ALLOWED_BYTES_PER_SEGMENT = 2;

    @Test
    void aStreamOfAcksToAnEstablishedConnectionAllocatesNothingPerSegment() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean bean && bean.isThreadAllocatedMemorySupported(),
                "this JVM does not count a thread's allocated bytes");
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        allocation.setThreadAllocatedMemoryEnabled(true);

        TcpTestContext ctx = new TcpTestContext();
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        PacketInfo info = new PacketInfo(REMOTE, LOCAL, 1, 64, 0);
        PacketBuffer[] acks = new PacketBuffer[WARM_UP + MEASURED];
        for (int i = 0; i < acks.length; i++) { // built ahead: the connection owns each packet it is given
            acks[i] = tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1).to(ctx.localPort).encode(REMOTE, LOCAL);
        }
        long receivedBefore = ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED);
        for (int i = 0; i < WARM_UP; i++) {
            ctx.protocol.handlePacket(info, acks[i]);
        }
        long threadId = Thread.currentThread().getId();
        long before = allocation.getThreadAllocatedBytes(threadId);
        for (int i = WARM_UP; i < acks.length; i++) {
            ctx.protocol.handlePacket(info, acks[i]);
        }
        long allocated = allocation.getThreadAllocatedBytes(threadId) - before;

        assertEquals(acks.length, ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED) - receivedBefore);
        assertEquals(TcpState.ESTABLISHED, ep.state());
        ctx.expectNoSegment();
        assertTrue(allocated <= ALLOWED_BYTES_PER_SEGMENT * MEASURED,
                allocated + " bytes allocated for " + MEASURED + " segments");
    }
}
