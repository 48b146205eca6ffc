package io.jnetstack.link;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.testing.Tshark;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stack itself puts on the wire, captured by the sniffer, passes Wireshark's decoder. */
class StackCaptureTsharkTest {
    @TempDir
    Path dir;

    @Test
    void arpPingAndUdpIncludingFragmentsDecodeWithoutProblems() throws Exception {
        Tshark tshark = Tshark.require();
        Path file = dir.resolve("stack.pcap");
        try (PcapWriter capture = PcapWriter.create(file, LinkType.ETHERNET, new io.jnetstack.time.ManualClock());
                TwoStacks net = TwoStacks.builder().wrapA((link, clock) -> new SniffingLink(link, capture)).build()) {
            UdpEndpoint receiver = net.udpB.newEndpoint();
            receiver.bind(IpAddress.IPV4_ANY, 40000);
            UdpEndpoint sender = net.udpA.newEndpoint();
            sender.send(ByteBuffer.wrap("small".getBytes()), ADDRESS_B, 40000);
            sender.send(ByteBuffer.wrap(new byte[5000]), ADDRESS_B, 40000);
            sender.send(ByteBuffer.wrap("closed port".getBytes()), ADDRESS_B, 40001);
            net.a.network(Ipv4Protocol.class).icmp()
                    .sendEchoRequest(net.a.findRoute(0, null, ADDRESS_B), 1, 1, new byte[56]);
            net.settle();
            capture.flush();
        }

        assertEquals(List.of(), tshark.problems(file));
        String protocols = tshark.run("-r", file.toString(), "-T", "fields", "-e", "frame.protocols");
        for (String expected : List.of("eth:ethertype:arp", "eth:ethertype:ip:udp:data", "eth:ethertype:ip:icmp:data",
                "eth:ethertype:ip:icmp:ip:udp")) {
            assertTrue(protocols.contains(expected), expected + " missing from:\n" + protocols);
        }
    }
}
