package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jnetstack.address.IpAddress;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.testing.TwoStacks;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, attack 4: ACKs from random sources to a listener and to a closed port. Each would earn
 * a RST (RFC 9293 §3.10.7.1, §3.10.7.2), and each RST to a new source costs an address resolution;
 * the stack answers at most {@link TcpProtocol#RESETS_PER_SECOND} a second, counts the rest, and a
 * real client is served all along.
 */
class TcpStrayAckFloodTest {
    private static final int LISTENING_PORT = 80;
    private static final int CLOSED_PORT = 81;
    private static final int FLOOD = 10_000;

    @Test
    void resetsToStrayAcksAreRateLimitedAndARealClientIsServed() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpProtocol tcpA = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpEndpoint listener = tcpB.newEndpoint();
            listener.bind(IpAddress.IPV4_ANY, LISTENING_PORT);
            listener.listen(16);

            Random random = new Random(10);
            for (int i = 0; i < FLOOD; i++) {
                IpAddress source = IpAddress.parse("10.0.0." + (10 + random.nextInt(240)));
                int port = i % 2 == 0 ? LISTENING_PORT : CLOSED_PORT;
                net.pipe.a().writeFrame(SpoofedFrames.tcp(source, 1024 + random.nextInt(60_000),
                        net.pipe.b().linkAddress(), ADDRESS_B, port, random.nextInt(), random.nextInt(), TcpHeader.ACK,
                        null));
                if (i % 100 == 99) {
                    net.settle();
                }
            }
            net.settle();
            long sent = tcpB.stats().get(TcpStats.Counter.RESETS_SENT);
            assertEquals(TcpProtocol.RESETS_PER_SECOND, sent, "RSTs sent: " + tcpB.stats());
            assertEquals(FLOOD - sent, tcpB.stats().get(TcpStats.Counter.RESETS_RATE_LIMITED));

            TcpEndpoint client = tcpA.newEndpoint();
            client.connect(ADDRESS_B, LISTENING_PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "the real client was locked out: " + client);
            write(client, bytes(100, 1));
            net.settle();
            assertArrayEquals(bytes(100, 1), read(server, 100));

            // The limit refills: a second later a connection to a closed port is refused again.
            net.advance(Duration.ofSeconds(1));
            TcpEndpoint refused = tcpA.newEndpoint();
            refused.connect(ADDRESS_B, CLOSED_PORT);
            net.settle();
            assertInstanceOf(ConnectException.class, refused.getAndClearError());
        }
    }
}
