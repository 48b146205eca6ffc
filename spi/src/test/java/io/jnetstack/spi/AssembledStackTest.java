package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jnetstack.address.IpAddress;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.network.Ipv4Protocol;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssembledStackTest {
    @Test
    void loopbackOnlyStackAnswersOn127Slash8AndTheLocalHostsAddresses() throws Exception {
        try (AssembledStack assembled = AssembledStack.build(JnetstackConfig.parse(Map.<String, String>of()::get))) {
            Stack stack = assembled.stack();
            assertEquals(1, stack.nics().size());
            assertTrue(stack.isLocalAddress(IpAddress.parse("127.0.0.1")));
            assertTrue(stack.isLocalAddress(IpAddress.parse("127.1.2.3")));
            for (InetAddress own : InetAddress.getAllByName(InetAddress.getLocalHost().getHostName())) {
                if (own.getAddress().length == 4) {
                    assertTrue(stack.isLocalAddress(IpAddress.of(own)), own + " is the local host's");
                }
            }
        }
    }

    /** The host's up interfaces' IPv4 addresses outside 127/8, which only NetworkInterface names. */
    private static List<IpAddress> hostInterfaceAddresses() throws Exception {
        List<IpAddress> result = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                        .map(IpAddress::of).forEach(result::add);
            }
        }
        return result;
    }

    @Test
    void loopbackOnlyStackAnswersOnTheHostsInterfaceAddresses() throws Exception {
        List<IpAddress> interfaceAddresses = hostInterfaceAddresses();
        assumeFalse(interfaceAddresses.isEmpty(), "the host has no IPv4 interface address besides loopback");
        try (AssembledStack assembled = AssembledStack.build(JnetstackConfig.parse(Map.<String, String>of()::get))) {
            for (IpAddress own : interfaceAddresses) {
                assertTrue(assembled.stack().isLocalAddress(own), own + " is one of the host's interface addresses");
            }
        }
    }

    /** On a TAP the host's interfaces are the kernel's, reached over the device: jnetstack must not claim them. */
    @Test
    void stackOnATapLeavesTheHostsInterfaceAddressesToTheKernel() throws Exception {
        List<IpAddress> interfaceAddresses = hostInterfaceAddresses();
        interfaceAddresses.removeAll(localHostNameAddresses());
        assumeFalse(interfaceAddresses.isEmpty(), "the host has no IPv4 interface address the host name does not resolve to");
        JnetstackConfig config = JnetstackConfig.parse(Map.of("jnetstack.tap", "tap-test", "jnetstack.ipv4", "10.9.0.2/24")::get);
        try (AssembledStack assembled = AssembledStack.build(config, tapConfig -> new LoopbackLink())) {
            for (IpAddress own : interfaceAddresses) {
                assertFalse(assembled.stack().isLocalAddress(own), own + " is the kernel's");
            }
        }
    }

    private static List<IpAddress> localHostNameAddresses() throws Exception {
        List<IpAddress> result = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(InetAddress.getLocalHost().getHostName())) {
            result.add(IpAddress.of(a));
        }
        return result;
    }

    @Test
    void memoryPropertiesSetTheStacksLimits() throws Exception {
        Map<String, String> properties = Map.of("jnetstack.tcpMemory", "8m", "jnetstack.reassemblyMemory", "256k");
        try (AssembledStack assembled = AssembledStack.build(JnetstackConfig.parse(properties::get))) {
            Stack stack = assembled.stack();
            assertEquals(8 << 20, ((TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER)).memory().limit());
            assertEquals(256 << 10, stack.network(Ipv4Protocol.class).reassembler().memoryLimitBytes());
        }
    }

    @Test
    void captureRecordsLoopbackTraffic(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lo.pcap");
        try (AssembledStack assembled = AssembledStack.build(JnetstackConfig.parse(Map.of("jnetstack.pcap", file.toString())::get))) {
            JnetstackSelectorProvider provider = new JnetstackSelectorProvider(assembled.stack());
            try (DatagramChannel a = provider.openDatagramChannel(); DatagramChannel b = provider.openDatagramChannel()) {
                b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), b.getLocalAddress());
                b.receive(ByteBuffer.allocate(10)); // the frame went through the link before it arrived
            }
            assembled.flushCaptures();
            ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN);
            assertEquals(PcapWriter.MAGIC, pcap.getInt(0));
            int firstRecordLength = pcap.getInt(24 + 8);
            assertEquals(20 + 8 + 3, firstRecordLength, "one IPv4+UDP packet with 3 bytes of payload");
        }
    }

    @Test
    void theFaultPropertysRulesAreOnTheStackFromTheStart() throws Exception {
        JnetstackConfig config = JnetstackConfig.parse(Map.of("jnetstack.fault", "latency=50ms;udp:dir=in:loss=1%")::get);
        try (AssembledStack assembled = AssembledStack.build(config)) {
            assertEquals(config.faults(), assembled.stack().faults().list());
        }
    }
}
