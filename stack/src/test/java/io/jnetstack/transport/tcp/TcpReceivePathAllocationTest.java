package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.testing.TwoStacks;
import java.util.Arrays;
import java.util.function.BiFunction;
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
    void ipv4AcksArrivingAsEthernetFramesAllocateNothingPerSegmentFromTheNicUp() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            LinkAddress b = net.pipe.b().linkAddress();
            assertNothingAllocatedPerAck(net, ADDRESS_B, (client, c) -> SpoofedFrames.tcp(ADDRESS_A, client.localPort(), b,
                    ADDRESS_B, PORT, c.sndNxt(), c.rcvNxt(), ACK, null));
        }
    }

    @Test
    void ipv6AcksArrivingAsEthernetFramesAllocateNothingPerSegmentFromTheNicUp() throws Exception {
        try (TwoStacks net = TwoStacks.builder().ipv6().transport(TcpProtocol::new).build()) {
            LinkAddress b = net.pipe.b().linkAddress();
            assertNothingAllocatedPerAck(net, ADDRESS6_B, (client, c) -> {
                PacketBuffer segment = tcp().from(client.localPort()).to(PORT).flags(ACK).seq(c.sndNxt()).ack(c.rcvNxt())
                        .encode(ADDRESS6_A, ADDRESS6_B);
                byte[] bytes = Arrays.copyOfRange(segment.array(), segment.offset(), segment.offset() + segment.length());
                return Ipv6Frames.frame(b, ADDRESS6_A, ADDRESS6_B, Ipv6Header.NEXT_TCP, 64, bytes);
            });
        }
    }

    /**
     * Connects A to B's {@code serverAddress}, then hands B's NIC plain ACKs from the client, each
     * frame made by {@code ackFrame} from the client and its state, and checks what each cost.
     */
    private static void assertNothingAllocatedPerAck(TwoStacks net, IpAddress serverAddress,
            BiFunction<TcpEndpoint, TcpInfo, PacketBuffer> ackFrame) throws Exception {
        TcpProtocol tcpA = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
        TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
        TcpEndpoint listener = tcpB.newEndpoint();
        listener.bind(serverAddress, PORT);
        listener.listen(1);
        TcpEndpoint client = tcpA.newEndpoint();
        client.connect(serverAddress, PORT);
        net.settle();
        TcpEndpoint server = listener.accept();
        assertNotNull(server, "accepted");
        TcpInfo c = client.info();
        PacketBuffer[] frames = new PacketBuffer[2 * SEGMENTS]; // each frame is consumed as it goes up
        for (int i = 0; i < frames.length; i++) {
            frames[i] = ackFrame.apply(client, c);
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
