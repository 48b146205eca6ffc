package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.Tshark;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multicast as the stack puts it on the wire (IGMPv3 reports, a datagram to a group), read by Wireshark's decoder. */
class MulticastCaptureTsharkTest {
    @TempDir
    Path dir;

    @Test
    void igmpReportsAndGroupDatagramsDecodeAsWiresharkExpects() throws Exception {
        Tshark tshark = Tshark.require();
        Path file = dir.resolve("multicast.pcap");
        IpAddress group = IpAddress.parse("239.1.2.3");
        try (PcapWriter capture = PcapWriter.create(file, LinkType.ETHERNET, new io.jnetstack.time.ManualClock());
                TwoStacks net = TwoStacks.builder().wrapA((link, clock) -> new SniffingLink(link, capture)).build()) {
            UdpEndpoint member = net.udpA.newEndpoint();
            member.bind(IpAddress.IPV4_ANY, 4446);
            member.join(group, net.nicA.id(), null);
            net.advance(Duration.ofSeconds(1));
            member.setMulticastNic(net.nicA.id());
            member.send(ByteBuffer.wrap("to the group".getBytes()), group, 4446);
            member.close();
            net.settle();
            capture.flush();
        }

        assertEquals(List.of(), tshark.problems(file));
        String fields = tshark.run("-r", file.toString(), "-T", "fields", "-E", "separator=,", "-e", "eth.dst", "-e", "ip.dst",
                "-e", "ip.ttl", "-e", "ip.opt.type", "-e", "igmp.version", "-e", "igmp.record_type", "-e", "igmp.maddr",
                "-e", "udp.dstport");
        assertEquals(List.of(
                "01:00:5e:00:00:16,224.0.0.22,1,148,3,4,239.1.2.3,",
                "01:00:5e:00:00:16,224.0.0.22,1,148,3,4,239.1.2.3,",
                "01:00:5e:01:02:03,239.1.2.3,1,,,,,4446",
                "01:00:5e:00:00:16,224.0.0.22,1,148,3,3,239.1.2.3,"), fields.lines().toList(),
                "two CHANGE_TO_EXCLUDE reports, the datagram, CHANGE_TO_INCLUDE on leaving");
    }
}
