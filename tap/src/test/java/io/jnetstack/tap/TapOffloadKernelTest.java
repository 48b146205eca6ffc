package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.HashedDuplexTransfer;
import io.jnetstack.tap.testing.HashedDuplexTransfer.Fin;
import io.jnetstack.tap.testing.KernelHashedNc;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.time.SystemClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TAP offloads with the kernel's TCP as the peer: a stream each way at once arrives byte-exact
 * while our large packets went to the kernel for cutting and the kernel's large packets came up
 * whole, and the kernel found no bad IP header or TCP segment and retransmitted nothing. (The
 * kernel trusts a partial checksum on a packet it delivers locally, so the values TCP leaves for
 * the link are checked in TcpSegmentationOffloadTest, by a route that completes them as a NIC does.)
 */
class TapOffloadKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PORT = 8080;
    private static final long STREAM_BYTES = 1 << 20;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer(TapLink.DEFAULT_MTU, TapLink.Offload.AUTO, 1);

    @TempDir
    Path scratch;

    private final SystemClock clock = new SystemClock();
    private final TcpProtocol tcp = new TcpProtocol();
    private Stack stack;

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
        clock.shutdown();
    }

    @Test
    void aMebibyteEachWayIsIntactAndTheKernelSeesValidPacketsAndNoRetransmission() throws Exception {
        TapLink link = peer.link();
        assertTrue(link.offloading(), "the kernel grants the offloads: " + link);
        stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).transport(tcp).build();
        stack.createNic("tap", link).addAddress(new IpSubnet(io.jnetstack.address.IpAddress.of(KernelPeer.STACK_ADDRESS),
                KernelPeer.PREFIX_LENGTH));
        Map<String, Long> kernelBefore = kernelCounters();

        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, STREAM_BYTES, KernelPeer.STACK_ADDRESS.getHostAddress(),
                Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, STREAM_BYTES, 11, Fin.AFTER_LAST_BYTE, TIMEOUT);
        KernelHashedNc.Digests kernels = nc.awaitDigests(TIMEOUT);
        assertEquals(STREAM_BYTES, ours.bytesReceived());
        assertEquals(ours.sentSha256(), kernels.received(), "SHA-256 of jnetstack -> kernel");
        assertEquals(kernels.sent(), ours.receivedSha256(), "SHA-256 of kernel -> jnetstack");

        TapStats stats = link.stats();
        assertTrue(stats.segmentedWrites() > 0, () -> "our data left in packets the kernel cut: " + stats);
        assertTrue(stats.coalescedReads() > 0, () -> "the kernel's data came in its large packets: " + stats);
        Map<String, Long> kernelAfter = kernelCounters();
        for (String counter : List.of("Tcp.InErrs", "Tcp.RetransSegs", "Ip.InHdrErrors")) {
            assertEquals(kernelBefore.get(counter), kernelAfter.get(counter), counter + " of the kernel's namespace");
        }
        assertTrue(kernelAfter.get("Tcp.InSegs") - kernelBefore.get("Tcp.InSegs") > 0, "the kernel's TCP counted our segments");
        connection.close();
        listener.close();
    }

    /** The namespace's IP and TCP counters from /proc/net/snmp, as {@code Tcp.RetransSegs} and so on. */
    private Map<String, Long> kernelCounters() {
        String[] lines = peer.exec(TIMEOUT, "cat", "/proc/net/snmp").requireSuccess().output().split("\n");
        Map<String, Long> counters = new HashMap<>();
        // Each protocol has a line of names, then a line of values, both starting "Proto:".
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            String protocol = names[0].substring(0, names[0].length() - 1);
            for (int j = 1; j < Math.min(names.length, values.length); j++) {
                counters.put(protocol + "." + names[j], Long.parseLong(values[j]));
            }
        }
        return counters;
    }
}
