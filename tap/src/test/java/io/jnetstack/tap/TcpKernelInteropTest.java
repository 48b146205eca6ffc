package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.link.SniffingLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.CommandResult;
import io.jnetstack.tap.testing.HashedDuplexTransfer;
import io.jnetstack.tap.testing.HashedDuplexTransfer.Fin;
import io.jnetstack.tap.testing.KernelHashedNc;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.tap.testing.TapPreconditions;
import io.jnetstack.testing.Tshark;
import io.jnetstack.time.SystemClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpInfo;
import io.jnetstack.transport.tcp.TcpConfig;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnetstack's TCP on a TAP device with the Linux kernel's TCP as its peer: the kernel's curl and
 * nc as clients of jnetstack servers, a jnetstack client of the kernel's {@code nc -l}, a
 * 256 MiB stream each way at once, the options the kernel agreed to (as {@code ss} shows them),
 * and a capture of a whole connection that Wireshark's analysis finds clean.
 */
class TcpKernelInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final IpAddress KERNEL = IpAddress.of(KernelPeer.KERNEL_ADDRESS);
    private static final IpAddress STACK = IpAddress.of(KernelPeer.STACK_ADDRESS);
    private static final int PORT = 8080;
    private static final long MIB = 1024 * 1024;
    /**
     * Wireshark's expert warnings that only report flow control doing its job: a sender filling
     * the window it was given, a receiver whose application has not read yet.
     */
    private static final List<String> FLOW_CONTROL_WARNINGS = List.of(
            "TCP window specified by the receiver is now completely full", "TCP Zero Window segment");
    /** Wireshark's TCP analysis flags for anything lost, sent twice, reordered or acknowledged out of turn. */
    private static final String LOSS_OR_REORDERING = "tcp.analysis.retransmission || tcp.analysis.fast_retransmission"
            + " || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order || tcp.analysis.lost_segment"
            + " || tcp.analysis.ack_lost_segment || tcp.analysis.duplicate_ack";
    /** Wireshark's TCP analysis flags for flow control at work (window updates, full windows, persist probes). */
    private static final String FLOW_CONTROL = "tcp.analysis.window_update || tcp.analysis.window_full"
            + " || tcp.analysis.zero_window_probe";
    /** A stream of many segments, small enough to take well under a second. */
    private static final long SMALL_STREAM_BYTES = 4 * MIB;
    /** Less than our receive buffer, so the kernel never waits for our window and the capture stays small. */
    private static final long CAPTURED_STREAM_BYTES = MIB / 2;
    private static final long BULK_STREAM_BYTES = 256 * MIB;
    /** A bound well above the bulk transfer's time on a slow, shared CI machine. */
    private static final Duration BULK_TIMEOUT = Duration.ofSeconds(240);
    /**
     * The least retransmission timeout of both ends in the captured connection: on a clean link
     * only a timer can make either end send anything twice, and at the default 200 ms a peer that
     * a loaded machine keeps from answering for that long did (the kernel resent its FIN).
     */
    private static final Duration PATIENT_RTO = Duration.ofSeconds(5);

    @RegisterExtension
    final KernelPeer peer = new KernelPeer(TapLink.DEFAULT_MTU, offload(), 1);

    @TempDir
    Path scratch;

    /** The stack's clock, shared with a capture so its timestamps are the stack's. */
    private final SystemClock clock = new SystemClock();
    private final TcpProtocol tcp = new TcpProtocol();
    private Stack stack;

    /** How the TAP link is opened: with the kernel's offloads here, without them in {@link TcpKernelInteropOffloadOffTest}. */
    TapLink.Offload offload() {
        return TapLink.Offload.AUTO;
    }

    /** Starts jnetstack with TCP on {@code link} (the TAP, perhaps wrapped) at {@link #STACK}. */
    private void startStack(LinkEndpoint link) {
        startStack(link, tcp);
    }

    private void startStack(LinkEndpoint link, TcpProtocol protocol) {
        stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).transport(protocol).build();
        stack.createNic("tap", link).addAddress(new IpSubnet(STACK, KernelPeer.PREFIX_LENGTH));
    }

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
        clock.shutdown();
    }

    @Test
    void kernelCurlGetsAPageFromAJnetstackHttpServer() throws Exception {
        TapPreconditions.requireCommand("curl", "curl");
        startStack(peer.link());
        String page = numberedLines("a page served by jnetstack", 5_000); // many segments
        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);
        try (NamespaceProcess curl = peer.spawn("curl", "-sS", "--max-time", "10", "http://" + STACK + ":" + PORT + "/page")) {
            TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
            String request = ascii(BlockingTcp.readThrough(connection, ascii("\r\n\r\n"), 64 * 1024, TIMEOUT));
            assertTrue(request.startsWith("GET /page HTTP/1.1\r\n"), () -> "request: " + request);

            assertKernelNegotiatedScalingTimestampsAndSack(connection.info());

            byte[] body = ascii(page);
            BlockingTcp.writeAll(connection, ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n"), TIMEOUT);
            BlockingTcp.writeAll(connection, body, TIMEOUT);
            connection.shutdownOutput();
            assertEquals(0, BlockingTcp.readToEnd(connection, 0, TIMEOUT).length, "curl sends nothing after its request");
            connection.close();

            OptionalInt exit = curl.awaitExit(TIMEOUT);
            assertEquals(OptionalInt.of(0), exit, curl::output);
            assertEquals(page, curl.output());
        } finally {
            listener.close();
        }
    }

    @Test
    void jnetstackClientExchangesStreamsWithKernelNcListener() throws Exception {
        startStack(peer.link());
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, SMALL_STREAM_BYTES, "-l", KERNEL.toString(), Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.connectOnceListening(tcp, KERNEL, PORT, TIMEOUT);

        assertKernelNegotiatedScalingTimestampsAndSack(connection.info());

        // Our FIN waits for the kernel's: nc -l quits, unsent input and all, once the network side ends.
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, SMALL_STREAM_BYTES, 1, Fin.AFTER_PEERS_FIN, TIMEOUT);
        assertStreamsMatch(ours, nc.awaitDigests(TIMEOUT));
        connection.close();
        long carryingFrames = SMALL_STREAM_BYTES / TapLink.DEFAULT_MTU;
        TapStats stats = peer.link().stats();
        if (peer.link().offloading()) {
            // The kernel hands up its large packets unsegmented. How many depends on the window we
            // offer as the reader keeps up (a loaded machine makes the kernel send window-sized
            // pieces), so this asks only that some frames carried more than an MTU.
            assertTrue(stats.coalescedReads() > 0,
                    () -> "the kernel's data came in large frames: " + stats);
            assertTrue(stats.segmentedWrites() > 0, () -> "ours went out as large packets: " + stats);
            return;
        }
        // Each frame carries less than an MTU of the stream, so more than bytes/MTU frames came in
        // pooled arrays; the receive buffer gives (nearly) every one back once it has been read.
        long givenBack = peer.link().frameArrays().arraysGivenBack();
        assertTrue(givenBack >= carryingFrames * 9 / 10, () -> givenBack + " frame arrays given back of more than "
                + carryingFrames + " received; " + peer.link().frameArrays().arraysCreated() + " made");
    }

    @Test
    void twoHundredFiftySixMebibytesCrossEachWayIntact() throws Exception {
        startStack(peer.link());
        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, BULK_STREAM_BYTES, STACK.toString(), Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);

        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, BULK_STREAM_BYTES, 2, Fin.AFTER_LAST_BYTE, BULK_TIMEOUT);
        assertStreamsMatch(ours, nc.awaitDigests(TIMEOUT));
        connection.close();
        listener.close();
        System.out.printf("TAP bulk transfer: %d MiB each way at once in %.1f s, %.0f MiB/s each way; %s%n",
                BULK_STREAM_BYTES / MIB, ours.elapsed().toMillis() / 1000.0, ours.mibPerSecondEachWay(), connection.info());
    }

    /**
     * A mebibyte each way at once arrives intact, the kernel counts no bad IP header, no TCP error
     * and no retransmission, and the offload counters say whether large packets crossed: with
     * offload on our data left in packets the kernel cut and its data came in its large packets;
     * with it off, neither. (The kernel trusts a partial checksum on a packet it delivers locally,
     * so the values TCP leaves for the link are checked in TcpSegmentationOffloadTest, by a route
     * that completes them as a NIC does.)
     */
    @Test
    void aMebibyteEachWayCrossesWithoutKernelErrorsOrRetransmissions() throws Exception {
        startStack(peer.link());
        Map<String, Long> kernelBefore = kernelCounters();
        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, MIB, STACK.toString(), Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, MIB, 11, Fin.AFTER_LAST_BYTE, TIMEOUT);
        assertStreamsMatch(ours, nc.awaitDigests(TIMEOUT));
        assertEquals(MIB, ours.bytesReceived());

        Map<String, Long> kernelAfter = kernelCounters();
        for (String counter : List.of("Tcp.InErrs", "Tcp.RetransSegs", "Ip.InHdrErrors")) {
            assertEquals(kernelBefore.get(counter), kernelAfter.get(counter), counter + " of the kernel's namespace");
        }
        assertTrue(kernelAfter.get("Tcp.InSegs") > kernelBefore.get("Tcp.InSegs"), "the kernel's TCP counted our segments");
        TapStats stats = peer.link().stats();
        boolean offload = offload() == TapLink.Offload.AUTO;
        assertEquals(offload, stats.segmentedWrites() > 0, () -> "packets the kernel cut, offload " + offload() + ": " + stats);
        assertEquals(offload, stats.coalescedReads() > 0, () -> "the kernel's large packets, offload " + offload() + ": " + stats);
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

    @Test
    void captureOfAWholeConnectionIsCleanForTshark() throws Exception {
        Tshark tshark = Tshark.require();
        Path file = scratch.resolve("connection.pcap");
        PcapWriter capture = PcapWriter.create(file, LinkType.ETHERNET, clock);
        TcpProtocol patient = new TcpProtocol(TcpConfig.builder().minRto(PATIENT_RTO).initialRto(PATIENT_RTO).build());
        startStack(new SniffingLink(peer.link(), capture), patient);
        // The kernel's end likewise: a route's rto_min, and no tail loss probe (a resend after two
        // round trips without an ACK, RFC 8985 §7), which tcp_early_retrans=0 turns off.
        peer.exec(TIMEOUT, "ip", "route", "add", STACK + "/32", "dev", peer.deviceName(), "rto_min",
                PATIENT_RTO.toMillis() + "ms").requireSuccess();
        peer.exec(TIMEOUT, "sysctl", "-q", "-w", "net.ipv4.tcp_early_retrans=0").requireSuccess();
        TcpEndpoint listener = BlockingTcp.listen(patient, PORT);
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, CAPTURED_STREAM_BYTES, STACK.toString(), Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);

        // The kernel closes first, so the connection's last packet (its ACK of our FIN) reaches us and the capture.
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, CAPTURED_STREAM_BYTES, 3, Fin.AFTER_PEERS_FIN, TIMEOUT);
        assertStreamsMatch(ours, nc.awaitDigests(TIMEOUT));
        BlockingTcp.awaitClosed(connection, TIMEOUT);
        stack.close();
        stack = null;
        capture.close();

        // The payload is random bytes: decoded by port (8080: HTTP) it would look malformed.
        List<String> problems = new ArrayList<>(tshark.problems(file, "-d", "tcp.port==" + PORT + ",data"));
        problems.removeIf(problem -> FLOW_CONTROL_WARNINGS.stream().anyMatch(problem::contains));
        assertEquals(List.of(), problems, "tshark's complaints about the capture");
        String stream = "tcp.port == " + PORT;
        // The capture holds the whole exchange, so a clean verdict is not a verdict on nothing.
        List<CapturedSegment> segments = segments(tshark, file, stream);
        assertEquals(1, segments.stream().filter(s -> s.from(KERNEL) && s.syn() && !s.ack()).count(), "the kernel's SYN");
        assertEquals(1, segments.stream().filter(s -> s.from(STACK) && s.syn() && s.ack()).count(), "our SYN-ACK");
        // Should the kernel send its FIN twice, our ACK of it was late: the capture's last segments say how.
        String lastSegments = "last segments: " + segments.subList(Math.max(0, segments.size() - 8), segments.size());
        assertEquals(1, segments.stream().filter(s -> s.from(KERNEL) && s.fin()).count(), () -> "the kernel's FIN; " + lastSegments);
        assertEquals(1, segments.stream().filter(s -> s.from(STACK) && s.fin()).count(), () -> "our FIN; " + lastSegments);
        assertEquals(CAPTURED_STREAM_BYTES, segments.stream().filter(s -> s.from(STACK)).mapToLong(CapturedSegment::length).sum(),
                "payload bytes we sent, each once");
        assertEquals(CAPTURED_STREAM_BYTES, segments.stream().filter(s -> s.from(KERNEL)).mapToLong(CapturedSegment::length).sum(),
                "payload bytes the kernel sent, each once");
        String fromUs = stream + " && ip.src == " + STACK;
        // On a clean link nothing is lost, sent twice or reordered, and our segments give Wireshark's
        // TCP analysis nothing to remark on but flow control.
        assertEquals(List.of(), frames(tshark, file, stream + " && (" + LOSS_OR_REORDERING + ")"), "loss or reordering");
        assertEquals(List.of(), frames(tshark, file, fromUs + " && tcp.analysis.flags && !(" + FLOW_CONTROL + ")"),
                "Wireshark's TCP analysis of our segments");
    }

    /** The kernel's {@code ss -tin} view of its one connection to us agrees with ours on every option. */
    private void assertKernelNegotiatedScalingTimestampsAndSack(TcpInfo ours) {
        // -o as well: ss prints "ts" and "sack" only with its options flag (wscale comes with -i alone).
        // "connected", not "established": the kernel may already have sent all its data and its FIN.
        CommandResult ss = peer.exec(TIMEOUT, "ss", "-tino", "state", "connected", "dst", STACK.toString()).requireSuccess();
        String view = ss.output();
        assertTrue(Pattern.compile("\\bts\\b").matcher(view).find(), () -> "timestamps in " + view);
        assertTrue(Pattern.compile("\\bsack\\b").matcher(view).find(), () -> "SACK in " + view);
        Matcher wscale = Pattern.compile("\\bwscale:(\\d+),(\\d+)").matcher(view);
        assertTrue(wscale.find(), () -> "window scaling in " + view);
        // ss prints the scale the peer (jnetstack) applies to its windows, then the kernel's own.
        assertEquals(ours.rcvWindowScale(), Integer.parseInt(wscale.group(1)), () -> "our window scale, per " + view);
        assertEquals(ours.sndWindowScale(), Integer.parseInt(wscale.group(2)), () -> "the kernel's window scale, per " + view);
        assertTrue(ours.timestamps() && ours.sack(), () -> "jnetstack agrees: " + ours);
    }

    private static void assertStreamsMatch(HashedDuplexTransfer.Result ours, KernelHashedNc.Digests kernels) {
        assertEquals(ours.bytesSent(), ours.bytesReceived(), "both sides send the same number of bytes");
        assertEquals(ours.sentSha256(), kernels.received(), "SHA-256 of jnetstack -> kernel");
        assertEquals(kernels.sent(), ours.receivedSha256(), "SHA-256 of kernel -> jnetstack");
    }

    /** The one-line summaries of the frames in {@code capture} that {@code filter} matches. */
    private static List<String> frames(Tshark tshark, Path capture, String filter) throws Exception {
        return tshark.run("-n", "-r", capture.toString(), "-Y", filter).lines().toList();
    }

    /** One TCP segment of a capture, as tshark decoded it. */
    private record CapturedSegment(IpAddress source, boolean syn, boolean ack, boolean fin, int length) {
        boolean from(IpAddress address) {
            return source.equals(address);
        }
    }

    /** The TCP segments in {@code capture} that {@code filter} matches, from one tshark run. */
    private static List<CapturedSegment> segments(Tshark tshark, Path capture, String filter) throws Exception {
        String fields = tshark.run("-n", "-r", capture.toString(), "-Y", filter, "-T", "fields", "-E", "separator=,",
                "-e", "ip.src", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.flags.fin", "-e", "tcp.len");
        return fields.lines().map(line -> line.split(",")).map(f -> new CapturedSegment(IpAddress.parse(f[0]),
                f[1].equals("1"), f[2].equals("1"), f[3].equals("1"), Integer.parseInt(f[4]))).toList();
    }

    private static String numberedLines(String text, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            sb.append(i).append(": ").append(text).append('\n');
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
