package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.testing.TwoStacks;
import org.junit.jupiter.api.Test;

/**
 * The receive path of a segment makes no object per segment: the header views, options and
 * segment are the receiving thread's, reused; the demultiplexer probes with the thread's key; a
 * free connection is entered with no task, and a busy one queues a pooled copy.
 */
class TcpReceivePathAllocationTest {
    private static final int SEGMENTS = 20_000;
    /** Far below one object per segment (the smallest object is 16 bytes), above one-time costs. */
    private static final double ALLOWED_BYTES_PER_SEGMENT = 2;
    private static final int PORT = 9000;

    @Test
    void acksToAnEstablishedConnectionAllocateNothingPerSegmentInTcp() {
        TcpTestContext ctx = new TcpTestContext();
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        PacketInfo info = new PacketInfo(REMOTE, LOCAL, 1, 64, 0);
        PacketBuffer[] acks = new PacketBuffer[2 * SEGMENTS]; // the connection owns each packet it is given
        for (int i = 0; i < acks.length; i++) {
            acks[i] = tcp().flags(ACK).seq(REMOTE_ISN + 1).ack(ctx.iss + 1).to(ctx.localPort).encode(REMOTE, LOCAL);
        }
        long receivedBefore = ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED);
        int[] next = {0};

        double perSegment = ThreadAllocation.averageBytesPerStep(SEGMENTS, i -> ctx.protocol.handlePacket(info, acks[next[0]++]));

        assertEquals(acks.length, ctx.protocol.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED) - receivedBefore);
        assertEquals(TcpState.ESTABLISHED, ep.state());
        ctx.expectNoSegment();
        assertTrue(perSegment <= ALLOWED_BYTES_PER_SEGMENT, perSegment + " bytes allocated a segment");
    }

    @Test
    void acksArrivingAsEthernetFramesAllocateNothingPerSegmentFromTheNicUp() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpProtocol tcpA = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpEndpoint listener = tcpB.newEndpoint();
            listener.bind(ADDRESS_B, PORT);
            listener.listen(1);
            TcpEndpoint client = tcpA.newEndpoint();
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "accepted");
            TcpInfo c = client.info();
            PacketBuffer[] frames = new PacketBuffer[2 * SEGMENTS]; // each frame is consumed as it goes up
            for (int i = 0; i < frames.length; i++) {
                frames[i] = SpoofedFrames.tcp(ADDRESS_A, client.localPort(), net.pipe.b().linkAddress(), ADDRESS_B, PORT,
                        c.sndNxt(), c.rcvNxt(), ACK, null);
            }
            long receivedBefore = tcpB.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED);
            int[] next = {0};

            double perSegment = ThreadAllocation.averageBytesPerStep(SEGMENTS,
                    i -> net.nicB.deliverNetworkPacket(frames[next[0]++]));

            assertEquals(frames.length, tcpB.stats().get(TcpStats.Counter.SEGMENTS_RECEIVED) - receivedBefore);
            assertEquals(TcpState.ESTABLISHED, server.state());
            assertEquals(0, net.settle(), "nothing answers a plain ACK");
            assertTrue(perSegment <= ALLOWED_BYTES_PER_SEGMENT, perSegment + " bytes allocated a segment");
        }
    }
}
