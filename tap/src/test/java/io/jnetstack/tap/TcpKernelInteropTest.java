package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.link.SniffingLink;
import io.jnetstack.stack.IpAddress;
import io.jnetstack.stack.IpSubnet;
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
import io.jnetstack.transport.tcp.TcpProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** Wireshark's expert warning for a segment that fills the receiver's advertised window. */
    private static final String WINDOW_FULL_WARNING = "TCP window specified by the receiver is now completely full";
    /** Enough that neither side can finish before the other reads: the receive buffers hold 1 MiB or so. */
    private static final long SMALL_STREAM_BYTES = 4 * MIB;
    private static final long BULK_STREAM_BYTES = 256 * MIB;
    /** A bound well above the bulk transfer's time on a slow, shared CI machine. */
    private static final Duration BULK_TIMEOUT = Duration.ofSeconds(240);

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @TempDir
    Path scratch;

    /** The stack's clock, shared with a capture so its timestamps are the stack's. */
    private final SystemClock clock = new SystemClock();
    private final TcpProtocol tcp = new TcpProtocol();
    private Stack stack;

    /** Starts jnetstack with TCP on {@code link} (the TAP, perhaps wrapped) at {@link #STACK}. */
    private void startStack(LinkEndpoint link) {
        stack = Stack.builder().clock(clock).transport(tcp).build();
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

    @Test
    void captureOfAWholeConnectionIsCleanForTshark() throws Exception {
        Tshark tshark = Tshark.require();
        Path file = scratch.resolve("connection.pcap");
        PcapWriter capture = PcapWriter.create(file, LinkType.ETHERNET, clock);
        startStack(new SniffingLink(peer.link(), capture));
        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);
        KernelHashedNc nc = KernelHashedNc.start(peer, scratch, SMALL_STREAM_BYTES, STACK.toString(), Integer.toString(PORT));
        TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);

        // The kernel closes first, so the connection's last packet (its ACK of our FIN) reaches us and the capture.
        HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, SMALL_STREAM_BYTES, 3, Fin.AFTER_PEERS_FIN, TIMEOUT);
        assertStreamsMatch(ours, nc.awaitDigests(TIMEOUT));
        BlockingTcp.awaitClosed(connection, TIMEOUT);
        stack.close();
        stack = null;
        capture.close();

        // The payload is random bytes: decoded by port (8080: HTTP) it would look malformed.
        List<String> problems = new ArrayList<>(tshark.problems(file, "-d", "tcp.port==" + PORT + ",data"));
        // The kernel sends as fast as our window lets it, so it fills the window now and then: flow control at work.
        problems.removeIf(problem -> problem.contains(WINDOW_FULL_WARNING));
        assertEquals(List.of(), problems, "tshark's complaints about the capture");
        String stream = "tcp.port == " + PORT;
        String fromUs = stream + " && ip.src == " + STACK;
        String fromKernel = stream + " && ip.src == " + KERNEL;
        // The capture holds the whole exchange, so a clean verdict is not a verdict on nothing.
        assertEquals(1, frames(tshark, file, fromKernel + " && tcp.flags.syn == 1 && tcp.flags.ack == 0").size(), "the kernel's SYN");
        assertEquals(1, frames(tshark, file, fromUs + " && tcp.flags.syn == 1 && tcp.flags.ack == 1").size(), "our SYN-ACK");
        assertEquals(1, frames(tshark, file, fromKernel + " && tcp.flags.fin == 1").size(), "the kernel's FIN");
        assertEquals(1, frames(tshark, file, fromUs + " && tcp.flags.fin == 1").size(), "our FIN");
        assertTrue(frames(tshark, file, fromUs + " && tcp.len > 0").size() > 1, "our data segments");
        assertTrue(frames(tshark, file, fromKernel + " && tcp.len > 0").size() > 1, "the kernel's data segments");
        // On a clean link nothing is ever sent twice, and our segments give Wireshark's TCP analysis
        // nothing to remark on but flow control: window updates (as our application reads) and
        // segments that fill the kernel's window.
        assertEquals(List.of(), frames(tshark, file, stream + " && (tcp.analysis.retransmission || tcp.analysis.fast_retransmission"
                + " || tcp.analysis.spurious_retransmission)"), "retransmissions");
        assertEquals(List.of(), frames(tshark, file, fromUs + " && tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.window_full"),
                "Wireshark's TCP analysis of our segments");
    }

    /** The kernel's {@code ss -tin} view of its one established connection agrees with ours on every option. */
    private void assertKernelNegotiatedScalingTimestampsAndSack(TcpInfo ours) {
        // -o as well: ss prints "ts" and "sack" only with its options flag (wscale comes with -i alone).
        CommandResult ss = peer.exec(TIMEOUT, "ss", "-tino", "state", "established", "dst", STACK.toString()).requireSuccess();
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
        return tshark.run("-r", capture.toString(), "-Y", filter).lines().toList();
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
