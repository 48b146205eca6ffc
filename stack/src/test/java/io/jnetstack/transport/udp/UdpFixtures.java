package io.jnetstack.transport.udp;

import io.jnetstack.address.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * UDP endpoints as tests want them (bound, connected) and datagrams that carry short texts, so a
 * test can say which one arrived where.
 */
final class UdpFixtures {
    private UdpFixtures() {
    }

    static UdpEndpoint bound(UdpProtocol udp, IpAddress address, int port) throws IOException {
        UdpEndpoint ep = udp.newEndpoint();
        ep.bind(address, port);
        return ep;
    }

    /** An endpoint bound to {@code localPort} on every address, connected to {@code peer:peerPort}. */
    static UdpEndpoint connected(UdpProtocol udp, int localPort, IpAddress peer, int peerPort) throws IOException {
        UdpEndpoint ep = bound(udp, IpAddress.IPV4_ANY, localPort);
        ep.connect(peer, peerPort);
        return ep;
    }

    static ByteBuffer payload(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(UdpEndpoint.Datagram datagram) {
        return new String(datagram.data(), StandardCharsets.UTF_8);
    }

    /** The texts of every datagram queued at {@code endpoint}, oldest first, taking them off the queue. */
    static List<String> receiveAll(UdpEndpoint endpoint) throws IOException {
        List<String> texts = new ArrayList<>();
        for (UdpEndpoint.Datagram d = endpoint.receive(); d != null; d = endpoint.receive()) {
            texts.add(text(d));
        }
        return texts;
    }
}
