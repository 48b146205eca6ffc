package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.testing.Tshark;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of the embedded loopback ({@code -Djnetstack.pcap}) holds each frame once, as tcpdump on
 * Linux's {@code lo} does, so Wireshark's TCP analysis of a clean transfer finds nothing to flag.
 */
class LoopbackCaptureTsharkTest {
    /** Enough for many segments, small enough for well under a second. */
    private static final int PAYLOAD_BYTES = 256 * 1024;
    /** Wireshark's flags for a segment seen again, or for one seemingly missing or out of turn. */
    private static final String SEEN_TWICE_OR_OUT_OF_TURN = "tcp.analysis.retransmission || tcp.analysis.fast_retransmission"
            + " || tcp.analysis.spurious_retransmission || tcp.analysis.keep_alive || tcp.analysis.duplicate_ack"
            + " || tcp.analysis.out_of_order || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment";

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void cleanTransferShowsEachSegmentOnceAndNoRetransmissions(@TempDir Path dir) throws Exception {
        Tshark tshark = Tshark.require();
        Path file = dir.resolve("lo.pcap");
        int clientPort;
        try (AssembledStack assembled = AssembledStack.build(JnetstackConfig.parse(Map.of("jnetstack.pcap", file.toString())::get))) {
            TcpConnections.Pair pair = new TcpConnections(new JnetstackSelectorProvider(assembled.stack()), closer).pair();
            clientPort = ((InetSocketAddress) pair.client().getLocalAddress()).getPort();
            ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES);
            while (payload.hasRemaining()) {
                pair.client().write(payload);
            }
            pair.client().shutdownOutput();
            long received = 0;
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            for (int n; (n = pair.server().read(in.clear())) >= 0; ) {
                received += n;
            }
            assertEquals(PAYLOAD_BYTES, received);
            pair.server().close();
            assertEquals(-1, pair.client().read(in.clear()), "the server's FIN");
            pair.client().close();
            assembled.flushCaptures();
        }

        String fromClient = "tcp.srcport == " + clientPort;
        List<String> segments = tshark.run("-n", "-r", file.toString(), "-Y", "tcp", "-T", "fields", "-E", "separator=,",
                "-e", "tcp.srcport", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.flags", "-e", "tcp.len").lines().toList();
        Map<String, Long> copies = segments.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        copies.values().removeIf(count -> count == 1);
        assertEquals(Map.of(), copies, "segments (port, seq, ack, flags, length) captured more than once");
        long payloadFromClient = tshark.run("-n", "-r", file.toString(), "-Y", fromClient, "-T", "fields", "-e", "tcp.len")
                .lines().mapToLong(Long::parseLong).sum();
        assertEquals(PAYLOAD_BYTES, payloadFromClient, "the client's payload, each byte once");
        assertEquals(List.of(), tshark.run("-n", "-r", file.toString(), "-Y", SEEN_TWICE_OR_OUT_OF_TURN).lines().toList(),
                "segments Wireshark takes for retransmissions, keep-alives or duplicates");
    }
}
