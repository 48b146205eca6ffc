package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.stack.PacketInfo;
import org.junit.jupiter.api.Test;

/**
 * A segment whose checksum the link vouches for (a TAP device with offload: the kernel verified it,
 * or left it partial because only memory lay between) is not verified again; any other segment with
 * a wrong checksum is dropped and counted (RFC 9293 §3.1).
 */
class TcpLinkVouchedChecksumTest {
    private final TcpTestContext ctx = new TcpTestContext();
    private final int rcv = REMOTE_ISN + 1;

    @Test
    void aSegmentTheLinkVouchesForIsTakenWhateverItsChecksumField() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        byte[] data = bytes(100, 1);
        deliver(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(data), true);
        assertArrayEquals(data, read(ep, 1000));
        assertEquals(0, ctx.protocol.stats().get(TcpStats.Counter.CHECKSUM_ERRORS));
    }

    @Test
    void theSameSegmentWithoutTheLinksWordIsDroppedAndCounted() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        deliver(tcp().flags(ACK).seq(rcv).ack(ctx.iss + 1).payload(bytes(100, 1)), false);
        assertEquals(0, read(ep, 1000).length);
        assertEquals(1, ctx.protocol.stats().get(TcpStats.Counter.CHECKSUM_ERRORS));
    }

    /** Delivers {@code segment} with its checksum field holding the pseudo-header's sum only, as the kernel leaves it. */
    private void deliver(TestSegment segment, boolean vouched) {
        segment.destinationPort = ctx.localPort;
        PacketBuffer packet = segment.encode(REMOTE, LOCAL);
        int field = packet.offset() + 16;
        int pseudoHeaderSum = Checksum.fold16(TcpSegment.pseudoHeader(REMOTE, LOCAL, packet.length()));
        packet.array()[field] = (byte) (pseudoHeaderSum >>> 8);
        packet.array()[field + 1] = (byte) pseudoHeaderSum;
        if (vouched) {
            packet.markChecksumVerified();
        }
        ctx.protocol.handlePacket(new PacketInfo(REMOTE, LOCAL, 1, 64, 0), packet);
    }
}
