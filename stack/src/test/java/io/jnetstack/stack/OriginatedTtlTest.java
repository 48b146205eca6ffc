package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every packet the stack originates — TCP, UDP and ICMP alike — carries the TTL it was built with. */
class OriginatedTtlTest {
    private static final int TTL = 7;

    @Test
    void tcpUdpAndIcmpAllUseTheStacksTtl() throws Exception {
        ManualExecutor wire = new ManualExecutor();
        List<Integer> ttls = new ArrayList<>();
        UdpProtocol udp = new UdpProtocol();
        TcpProtocol tcp = new TcpProtocol();
        try (Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(new ManualClock())
                .sameThreadProcessors().ttl(TTL).transport(udp).transport(tcp).build()) {
            stack.createNic("lo", new TtlRecorder(new LoopbackLink(LoopbackLink.DEFAULT_MTU, wire), ttls))
                    .addAddress(IpSubnet.parse("127.0.0.1/8"));

            tcp.newEndpoint().connect(IpAddress.IPV4_LOOPBACK, 9);        // SYN, answered by RST
            udp.newEndpoint().send(ByteBuffer.wrap(new byte[] {1}), IpAddress.IPV4_LOOPBACK, 9); // + port unreachable
            stack.network(Ipv4Protocol.class).icmp()
                    .sendEchoRequest(stack.findRoute(0, null, IpAddress.IPV4_LOOPBACK), 1, 1, new byte[8]); // + reply
            wire.runPending();
        }

        assertFalse(ttls.isEmpty());
        assertEquals(6, ttls.size(), "SYN, RST, datagram, port unreachable, echo request, echo reply: " + ttls);
        ttls.forEach(ttl -> assertEquals(TTL, ttl));
    }

    /** Notes the IPv4 TTL of every packet written through it (a loopback link carries bare IP). */
    private static final class TtlRecorder extends WrappingLink {
        private final List<Integer> ttls;

        TtlRecorder(LinkEndpoint inner, List<Integer> ttls) {
            super(inner);
            this.ttls = ttls;
        }

        @Override
        public void writeFrame(PacketBuffer frame) {
            frame.ensureFront(Ipv4Header.MIN_LENGTH);
            ttls.add(new Ipv4Header(frame.array(), frame.offset()).ttl());
            inner.writeFrame(frame);
        }
    }
}
