package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.network.Icmpv4Protocol;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, attack 4: an ICMP "fragmentation needed" (RFC 1191) naming a tiny next-hop MTU must
 * not shrink a connection's segments below the floor of {@link Icmpv4Protocol#MIN_PATH_MTU}
 * (Linux's min_pmtu); a plausible MTU is still taken as it is.
 */
class TcpPathMtuFloorTest {
    private static final IpAddress ROUTER = IpAddress.parse("10.0.0.254");
    private static final int PORT = 80;

    /** A's MSS (timestamps' share added back) after the error, and how many errors the floor raised. */
    private record Outcome(int segmentSize, long clamped) {
    }

    @Test
    void tinyNextHopMtuLeavesTheSegmentSizeAtTheFloor() throws Exception {
        assertEquals(new Outcome(Icmpv4Protocol.MIN_PATH_MTU - 40, 1), afterFragmentationNeeded(160));
    }

    @Test
    void nextHopMtuAboveTheFloorIsTaken() throws Exception {
        assertEquals(new Outcome(1000 - 40, 0), afterFragmentationNeeded(1000));
    }

    /** An error naming {@code mtu} about A's data in flight. */
    private static Outcome afterFragmentationNeeded(int mtu) throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpEndpoint listener = ((TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            listener.bind(IpAddress.IPV4_ANY, PORT);
            listener.listen(1);
            TcpEndpoint client = ((TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            client.connect(ADDRESS_B, PORT);
            net.settle();
            assertNotNull(listener.accept());
            assertTrue(write(client, bytes(1400, 1)) > 0);

            TcpInfo info = client.info(); // the data is on the wire, not yet acknowledged
            net.pipe.b().writeFrame(SpoofedFrames.fragmentationNeeded(ROUTER, net.pipe.a().linkAddress(), ADDRESS_A,
                    mtu, quotedSegment(client, info.sndUna())));
            net.settle();

            TcpInfo after = client.info();
            return new Outcome(after.sndMss() + (after.timestamps() ? NegotiatedOptions.TIMESTAMPS_OPTION_LENGTH : 0),
                    net.a.stats().get(StackCounter.ICMP_PATH_MTU_CLAMPED));
        }
    }

    /** The start of the datagram an error quotes: A's IPv4 header and 8 bytes of its TCP header. */
    private static byte[] quotedSegment(TcpEndpoint client, int seq) {
        byte[] quoted = new byte[Ipv4Header.MIN_LENGTH + 8];
        new Ipv4Header(quoted, 0).encode(Ipv4Fields.of(ADDRESS_A.toInt(), ADDRESS_B.toInt(), Ipv4Header.PROTOCOL_TCP,
                64, 7, Ipv4Header.MIN_LENGTH + TcpHeader.MIN_LENGTH + 1400, true));
        ByteBuffer.wrap(quoted, Ipv4Header.MIN_LENGTH, 8).putShort((short) client.localPort())
                .putShort((short) client.remotePort()).putInt(seq);
        return quoted;
    }
}
