package io.jnetstack.transport.tcp;

import static io.jnetstack.transport.tcp.TcpTestContext.LOCAL;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_PORT;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.TransportError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import org.junit.jupiter.api.Test;

/** ICMP errors about our segments (RFC 9293 §3.9, RFC 1122 §4.2.3.9, RFC 5927 §4.1, RFC 1191). */
class TcpIcmpErrorTest {
    private final TcpTestContext ctx = new TcpTestContext();

    /** An ICMP error quoting a segment we sent with sequence number {@code seq}. */
    private void icmp(TransportError.Kind kind, int mtu, int seq) {
        TestSegment quoted = tcp().from(ctx.localPort).to(REMOTE_PORT).seq(seq);
        ctx.protocol.handleError(new TransportError(kind, REMOTE, REMOTE, mtu), LOCAL, REMOTE, quoted.encode(LOCAL, REMOTE));
    }

    private TcpEndpoint connecting() {
        TcpEndpoint ep = ctx.protocol.newEndpoint();
        ctx.connect(ep);
        ctx.iss = ctx.expectSegment().seq();
        return ep;
    }

    @Test
    void portUnreachableFailsAConnectingEndpointAsRefused() {
        TcpEndpoint ep = connecting();
        icmp(TransportError.Kind.PORT_UNREACHABLE, 0, ctx.iss);
        assertEquals(TcpState.CLOSED, ep.state());
        assertEquals("Connection refused", assertInstanceOf(ConnectException.class, ep.getAndClearError()).getMessage());
    }

    @Test
    void hostUnreachableFailsAConnectingEndpointWithNoRouteToHost() {
        TcpEndpoint ep = connecting();
        icmp(TransportError.Kind.HOST_UNREACHABLE, 0, ctx.iss);
        assertInstanceOf(NoRouteToHostException.class, ep.getAndClearError());
    }

    @Test
    void errorQuotingASequenceNumberNeverSentIsIgnored() {
        TcpEndpoint ep = connecting();
        icmp(TransportError.Kind.PORT_UNREACHABLE, 0, ctx.iss + 12345);
        assertEquals(TcpState.SYN_SENT, ep.state());
    }

    @Test
    void unreachableOnAnEstablishedConnectionIsOnlyASoftError() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(10, 1));
        ctx.expectSegment();
        icmp(TransportError.Kind.HOST_UNREACHABLE, 0, ctx.iss + 1);
        assertEquals(TcpState.ESTABLISHED, ep.state());
    }

    @Test
    void packetTooBigShrinksTheSegmentSizeAndResends() {
        TcpEndpoint ep = ctx.establishActive(mss(1460));
        write(ep, bytes(1460, 1));
        ctx.expectSegment().payloadLength(1460);
        icmp(TransportError.Kind.PACKET_TOO_BIG, 1000, ctx.iss + 1);
        assertEquals(1000 - 40, ep.info().sndMss());
        ctx.expectSegment().flags(TcpHeader.ACK).seq(ctx.iss + 1).payloadLength(960);
    }
}
