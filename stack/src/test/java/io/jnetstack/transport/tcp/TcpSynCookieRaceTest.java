package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TcpTestContext.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.testing.TwoStacks;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, attack 1: a listener whose SYN queue a spoofed flood keeps full answers real clients
 * with SYN cookies (RFC 4987 §3.6), and those clients send their data right behind the ACK that
 * completes the handshake. B's processor work is queued, as on processor threads, so B's
 * demultiplexer sees the ACK and the data before B has processed the ACK. Every client must be
 * served, none reset, and B must keep no connection its client does not know.
 */
class TcpSynCookieRaceTest {
    private static final IpAddress SPOOFED = IpAddress.parse("10.0.0.66");
    private static final int PORT = 80;
    private static final int CLIENTS = 10;
    /** Three full segments and a bit: data that needs several segments right after the ACK. */
    private static final int REQUEST_LENGTH = 3 * 1448 + 100;

    @Test
    void clientsWhoseDataFollowsTheCookieAckAtOnceAreServed() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).queueProcessorsOfB().build()) {
            assertEveryClientServed(net);
        }
    }

    @Test
    void dataOvertakingTheCookieAckEstablishesTheConnection() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).queueProcessorsOfB()
                .wrapA((link, clock) -> new HandshakeAckHeldBack(link)).build()) {
            assertEveryClientServed(net);
        }
    }

    private static void assertEveryClientServed(TwoStacks net) throws Exception {
        TcpProtocol tcpA = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
        TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
        TcpEndpoint listener = tcpB.newEndpoint();
        listener.bind(IpAddress.IPV4_ANY, PORT);
        listener.listen(128);
        floodSynQueue(net, tcpB.config().synQueueLength() + 50);
        long cookiesBefore = tcpB.stats().get(TcpStats.Counter.SYN_COOKIES_SENT);
        assertTrue(cookiesBefore > 0, "the flood must put the listener into cookie mode: " + tcpB.stats());

        List<TcpEndpoint> clients = new ArrayList<>();
        Map<Integer, Integer> seedByPort = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            TcpEndpoint client = tcpA.newEndpoint();
            client.setNoDelay(true);
            client.connect(ADDRESS_B, PORT);
            // Written before the handshake completes, so the data leaves right behind the ACK.
            assertEquals(REQUEST_LENGTH, write(client, bytes(REQUEST_LENGTH, i)));
            clients.add(client);
            seedByPort.put(client.localPort(), i);
        }
        net.settle();

        assertEquals(cookiesBefore + CLIENTS, tcpB.stats().get(TcpStats.Counter.SYN_COOKIES_SENT),
                "every real client met a cookie");
        for (TcpEndpoint client : clients) {
            assertEquals(TcpState.ESTABLISHED, client.state(), client + ": " + client.getAndClearError());
        }
        List<TcpEndpoint> served = new ArrayList<>();
        for (TcpEndpoint server; (server = listener.accept()) != null; ) {
            served.add(server);
            assertArrayEquals(bytes(REQUEST_LENGTH, seedByPort.get(server.remotePort())), readAll(server),
                    server + " received");
        }
        assertEquals(CLIENTS, served.size(), "connections accepted");
        assertEquals(0, tcpA.stats().get(TcpStats.Counter.RESETS_RECEIVED), "resets the clients got: " + tcpB.stats());
        assertEquals(CLIENTS, tcpB.stats().get(TcpStats.Counter.CURRENT_ESTABLISHED),
                "B's established connections are exactly the clients': " + tcpB.stats());

        for (TcpEndpoint client : clients) {
            client.close();
        }
        for (TcpEndpoint server : served) {
            server.close();
        }
        for (int second = 0; second < 300; second++) { // TIME-WAIT, and the flood's SYN-ACK retries
            net.advance(Duration.ofSeconds(1));
        }
        assertEquals(0, tcpB.stats().get(TcpStats.Counter.CURRENT_ESTABLISHED), "leaked: " + tcpB.stats());
        assertEquals(1, net.b.demuxer().size(), "only the listener is left on B");
    }

    /** Spoofed SYNs from a host that never answers: their half-open connections fill the SYN queue. */
    private static void floodSynQueue(TwoStacks net, int syns) {
        for (int i = 0; i < syns; i++) {
            net.pipe.a().writeFrame(SpoofedFrames.syn(SPOOFED, 1024 + i, i * 7919, net.pipe.b().linkAddress(),
                    ADDRESS_B, PORT));
        }
        net.settle();
    }

    private static byte[] readAll(TcpEndpoint server) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = read(server, REQUEST_LENGTH)).length > 0; ) {
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    /**
     * Reorders A's frames as a network may: the bare ACK that completes each handshake goes out
     * after the segment that follows it (the first data segment).
     */
    private static final class HandshakeAckHeldBack extends WrappingLink {
        private static final int TCP_AT = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
        private final Set<Integer> portsSeen = new HashSet<>();
        private PacketBuffer held;

        HandshakeAckHeldBack(LinkEndpoint inner) {
            super(inner);
        }

        @Override
        public synchronized void writeFrame(PacketBuffer frame) {
            if (held == null && isFirstBareAckOfItsConnection(frame)) {
                held = frame;
                return;
            }
            super.writeFrame(frame);
            if (held != null) {
                PacketBuffer ack = held;
                held = null;
                super.writeFrame(ack);
            }
        }

        private boolean isFirstBareAckOfItsConnection(PacketBuffer frame) {
            byte[] f = frame.toByteArray();
            if (f.length < TCP_AT + TcpHeader.MIN_LENGTH || f[EthernetHeader.LENGTH + 9] != Ipv4Header.PROTOCOL_TCP) {
                return false;
            }
            TcpHeader tcp = new TcpHeader(f, TCP_AT);
            int ipTotalLength = new Ipv4Header(f, EthernetHeader.LENGTH).totalLength();
            boolean bareAck = tcp.flags() == TcpHeader.ACK && ipTotalLength == Ipv4Header.MIN_LENGTH + tcp.headerLength();
            return bareAck && tcp.destinationPort() == PORT && portsSeen.add(tcp.sourcePort());
        }
    }
}
