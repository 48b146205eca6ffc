package io.jnetstack.transport;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints bound to the IPv6 wildcard are dual-stack, as on Linux with bindv6only=0: they take
 * IPv4 as well as IPv6, answer each in its own family, and hold the port for both.
 */
class DualStackTest {
    private static final int PORT = 7000;

    private final TwoStacks net = TwoStacks.builder().ipv6().transport(TcpProtocol::new).build();

    @AfterEach
    void close() {
        net.close();
    }

    private static TcpProtocol tcp(io.jnetstack.stack.Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    @Test
    void aListenerOnTheIpv6WildcardAcceptsIpv4AndIpv6Connections() throws Exception {
        TcpEndpoint listener = tcp(net.b).newEndpoint();
        listener.bind(IpAddress.IPV6_ANY, PORT);
        listener.listen(4);

        TcpEndpoint overIpv4 = tcp(net.a).newEndpoint();
        overIpv4.connect(ADDRESS_B, PORT);
        net.settle();
        TcpEndpoint accepted4 = listener.accept();
        TcpEndpoint overIpv6 = tcp(net.a).newEndpoint();
        overIpv6.connect(ADDRESS6_B, PORT);
        net.settle();
        TcpEndpoint accepted6 = listener.accept();

        assertNotNull(accepted4);
        assertEquals(ADDRESS_B, accepted4.localAddress());
        assertEquals(ADDRESS_A, accepted4.remoteAddress());
        assertNotNull(accepted6);
        assertEquals(ADDRESS6_B, accepted6.localAddress());
        assertEquals(ADDRESS6_A, accepted6.remoteAddress());
    }

    @Test
    void aUdpEndpointOnTheIpv6WildcardAnswersIpv4SendersOverIpv4() throws Exception {
        UdpEndpoint server = net.udpB.newEndpoint();
        server.bind(IpAddress.IPV6_ANY, PORT);
        UdpEndpoint client = net.udpA.newEndpoint();
        client.bind(IpAddress.IPV4_ANY, 5000);

        client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), ADDRESS_B, PORT);
        net.settle();
        UdpEndpoint.Datagram request = server.receive();
        assertEquals(ADDRESS_A, request.sourceAddress());
        server.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)), request.sourceAddress(),
                request.sourcePort());
        net.settle();

        UdpEndpoint.Datagram reply = client.receive();
        assertEquals(ADDRESS_B, reply.sourceAddress());
        assertEquals("pong", new String(reply.data(), StandardCharsets.US_ASCII));
    }

    @Test
    void theIpv6WildcardHoldsThePortForIpv4Too() throws Exception {
        UdpEndpoint dualStack = net.udpB.newEndpoint();
        dualStack.bind(IpAddress.IPV6_ANY, PORT);

        assertThrows(BindException.class, () -> net.udpB.newEndpoint().bind(IpAddress.IPV4_ANY, PORT));
        assertThrows(BindException.class, () -> net.udpB.newEndpoint().bind(ADDRESS_B, PORT));
    }

    @Test
    void anEndpointBoundToAnIpv6AddressCannotSendToIpv4() throws Exception {
        UdpEndpoint bound6 = net.udpB.newEndpoint();
        bound6.bind(ADDRESS6_B, PORT);

        java.net.NoRouteToHostException e = assertThrows(java.net.NoRouteToHostException.class,
                () -> bound6.send(ByteBuffer.wrap(new byte[1]), ADDRESS_A, PORT));
        assertEquals("Network is unreachable", e.getMessage());
    }
}
