package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Fields;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
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
    private static final LinkAddress SPOOFED_MAC = LinkAddress.parse("02:00:00:00:00:66");
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
                PacketBuffer syn = spoofedSyn(net.pipe.b().linkAddress(), 1024 + i, i * 7919);
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

    /** An Ethernet+IPv4+TCP SYN with an MSS option, from the spoofed host to B. */
    private static PacketBuffer spoofedSyn(LinkAddress destinationMac, int sourcePort, int isn) {
        TcpOptions options = new TcpOptions(1460, -1, false, false, 0, 0, new int[0]);
        int tcpLength = TcpHeader.MIN_LENGTH + options.encodedLength();
        int ipLength = Ipv4Header.MIN_LENGTH + tcpLength;
        PacketBuffer p = PacketBuffer.allocate(0, EthernetHeader.LENGTH + ipLength);
        byte[] a = p.array();
        new EthernetHeader(a, 0).encode(SPOOFED_MAC, destinationMac, EthernetHeader.TYPE_IPV4);
        new Ipv4Header(a, EthernetHeader.LENGTH).encode(
                Ipv4Fields.of(SPOOFED.toInt(), ADDRESS_B.toInt(), Ipv4Header.PROTOCOL_TCP, 64, sourcePort, ipLength, true));
        int tcpAt = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        TcpHeader tcp = new TcpHeader(a, tcpAt);
        tcp.encode(sourcePort, PORT, isn, 0, TcpHeader.SYN, 64240, tcpLength);
        options.encode(a, tcpAt + TcpHeader.MIN_LENGTH);
        int sum = Checksum.ipv4PseudoHeader(SPOOFED.toInt(), ADDRESS_B.toInt(), Ipv4Header.PROTOCOL_TCP, tcpLength);
        tcp.setChecksum(Checksum.finish(Checksum.add(sum, a, tcpAt, tcpLength)));
        return p;
    }
}
