package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.header.TcpHeader;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.testing.TwoStacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A blind-injection attacker who knows a connection's sequence numbers sends data and a FIN "from"
 * one end: the other end accepts them and acknowledges at once, so the two ends' sequence spaces
 * no longer agree. Each end then sees the other's pure ACK as out of window (one acknowledges data
 * never sent, the other has a sequence number already passed) and answers it: without a limit, an
 * endless ACK exchange at wire speed. Like Linux ({@code tcp_invalid_ratelimit}), an end answers
 * such segments at most once per half second per connection, so the exchange dies out. Found by
 * InboundFuzzTest.
 */
class TcpAckLoopTest {
    private static final int PORT = 6000;

    @Test
    void injectedDataDoesNotStartAnEndlessAckExchange() throws IOException {
        TcpConfig config = TcpConfig.builder().timestamps(false).build(); // the attacker need not guess TS.Recent // the attacker need not guess TS.Recent
        try (TwoStacks net = TwoStacks.builder().transport(() -> new TcpProtocol(config)).build()) {
            TcpProtocol serverTcp = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpProtocol clientTcp = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpEndpoint listener = serverTcp.newEndpoint();
            listener.bind(ADDRESS_B, PORT);
            listener.listen(1);
            TcpEndpoint client = clientTcp.newEndpoint();
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server);

            TcpInfo s = server.info();
            serverTcp.handlePacket(new PacketInfo(ADDRESS_A, ADDRESS_B, net.nicB.id(), 64, 0),
                    TestSegment.tcp().from(client.localPort()).to(PORT).seq(s.rcvNxt()).ack(s.sndNxt())
                            .flags(TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN).payload("hi\n".getBytes(StandardCharsets.US_ASCII))
                            .encode(ADDRESS_A, ADDRESS_B));
            int exchanged = net.settle(); // throws if the exchange never settles

            assertTrue(exchanged < 10, exchanged + " frames after one injected segment");
            long limited = clientTcp.stats().get(TcpStats.Counter.INVALID_SEGMENT_ACKS_RATE_LIMITED)
                    + serverTcp.stats().get(TcpStats.Counter.INVALID_SEGMENT_ACKS_RATE_LIMITED);
            assertEquals(1, limited, "the exchange ends where one end holds back its answer");
            assertEquals(TcpState.ESTABLISHED, client.state());
        }
    }
}
