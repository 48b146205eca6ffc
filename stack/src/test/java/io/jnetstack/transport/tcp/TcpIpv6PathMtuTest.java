package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.TwoStacks;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * An ICMPv6 packet too big (RFC 4443 §3.2) about a connection's data lowers its segment size to the
 * path MTU, but never below IPv6's minimum link MTU of 1280 (RFC 8201 §4).
 */
class TcpIpv6PathMtuTest {
    private static final IpAddress ROUTER = IpAddress.parse("fd00::fe");
    private static final int PORT = 80;

    private record Outcome(int segmentSize, long clamped) {
    }

    @Test
    void aPathMtuBelow1280LeavesSegmentsFor1280BytePackets() throws Exception {
        assertEquals(new Outcome(Ipv6Header.MIN_MTU - 60, 1), afterPacketTooBig(1000));
    }

    @Test
    void aPathMtuAbove1280IsTaken() throws Exception {
        assertEquals(new Outcome(1400 - 60, 0), afterPacketTooBig(1400));
    }

    private static Outcome afterPacketTooBig(int mtu) throws Exception {
        try (TwoStacks net = TwoStacks.builder().ipv6().transport(TcpProtocol::new).build()) {
            TcpEndpoint listener = ((TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            listener.bind(IpAddress.IPV6_ANY, PORT);
            listener.listen(1);
            TcpEndpoint client = ((TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            client.connect(ADDRESS6_B, PORT);
            net.settle();
            assertNotNull(listener.accept());
            assertTrue(write(client, bytes(1400, 1)) > 0);

            byte[] body = new byte[4 + Ipv6Header.LENGTH + 8];
            ByteBuffer.wrap(body).putInt(mtu);
            new Ipv6Header(body, 4).encode(ADDRESS6_A, ADDRESS6_B, Ipv6Header.NEXT_TCP, 64, TcpHeader.MIN_LENGTH + 1400);
            ByteBuffer.wrap(body, 4 + Ipv6Header.LENGTH, 8).putShort((short) client.localPort())
                    .putShort((short) client.remotePort()).putInt(client.info().sndUna());
            net.pipe.b().writeFrame(Ipv6Frames.icmp(net.pipe.a().linkAddress(), ROUTER, ADDRESS6_A, 64,
                    Icmpv6Header.TYPE_PACKET_TOO_BIG, body));
            net.settle();

            TcpInfo after = client.info();
            return new Outcome(after.sndMss() + (after.timestamps() ? NegotiatedOptions.TIMESTAMPS_OPTION_LENGTH : 0),
                    net.a.stats().get(StackCounter.ICMPV6_PATH_MTU_CLAMPED));
        }
    }
}
