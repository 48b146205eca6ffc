package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.testing.TwoStacks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A blind SYN flood: 10 000 SYNs from a spoofed address, each from its own port, at a listener with
 * backlog 128. The listener keeps at most its SYN queue of half-open connections (the rest get SYN
 * cookies, RFC 4987 §3.6), and a real client on the other stack still connects and exchanges data.
 */
class TcpSynFloodTest {
    private static final IpAddress SPOOFED = IpAddress.parse("10.0.0.66");
    private static final int PORT = 80;
    private static final int FLOOD = 10_000;

    @Test
    void aRealClientStillConnectsAndTheListenerStaysBounded() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
            int synQueue = tcpB.config().synQueueLength();
            TcpEndpoint listener = tcpB.newEndpoint();
            listener.bind(IpAddress.IPV4_ANY, PORT);
            listener.listen(128);

            for (int i = 0; i < FLOOD; i++) {
                PacketBuffer syn = SpoofedFrames.syn(SPOOFED, 1024 + i, i * 7919, net.pipe.b().linkAddress(), ADDRESS_B, PORT);
                net.pipe.a().writeFrame(syn);
                if (i % 100 == 99) {
                    net.settle();
                }
            }
            net.settle();

            int endpointsDuringFlood = net.b.demuxer().size();
            assertTrue(endpointsDuringFlood <= 1 + synQueue,
                    endpointsDuringFlood + " endpoints after the flood; the SYN queue holds " + synQueue);
            assertTrue(tcpB.stats().get(TcpStats.Counter.SYN_COOKIES_SENT) >= FLOOD - synQueue - 1,
                    "SYNs beyond the queue are answered with cookies: " + tcpB.stats());

            TcpEndpoint client = ((TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "the real client was locked out: " + client);

            byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(request.length, client.write(ByteBuffer.wrap(request)));
            net.settle();
            ByteBuffer received = ByteBuffer.allocate(request.length);
            assertEquals(request.length, server.read(received));
            assertEquals(new String(request, StandardCharsets.US_ASCII),
                    new String(received.array(), StandardCharsets.US_ASCII));

            // The half-open flood connections give up after their SYN-ACK retries; memory returns.
            net.advance(Duration.ofMinutes(5));
            assertTrue(net.b.demuxer().size() <= 2, "left: " + net.b.demuxer().size());
        }
    }
}
