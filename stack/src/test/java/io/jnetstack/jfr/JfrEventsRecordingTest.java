package io.jnetstack.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.tcp.TcpStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records {@link FaultyTransfer} in-process with jnetstack.jfc's settings and reads the events
 * back from the file: each event the exchange causes, with its field values, and as many of each
 * counted kind (timeouts, resets, drops by reason) as the stacks' counters counted.
 */
class JfrEventsRecordingTest {
    private static final String A = TwoStacks.ADDRESS_A.toString();
    private static final String B = TwoStacks.ADDRESS_B.toString();

    @TempDir
    static Path dir;
    private static FaultyTransfer transfer;
    private static List<RecordedEvent> events;

    @BeforeAll
    static void recordTheFaultyTransfer() throws IOException {
        Path file = dir.resolve("faulty-transfer.jfr");
        try (Recording recording = new Recording(JfrSettings.jnetstack())) {
            recording.start();
            transfer = FaultyTransfer.run();
            recording.stop();
            recording.dump(file);
        }
        // Other stacks in this JVM (earlier tests' leftovers) could add events: keep those of our ports.
        events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> !e.hasField("localPort") || ourPort(e.getInt("localPort")) || ourPort(e.getInt("remotePort")))
                .collect(Collectors.toList());
    }

    private static boolean ourPort(int port) {
        return port == FaultyTransfer.PORT || port == FaultyTransfer.CLOSED_PORT
                || port == transfer.client.localPort() || port == transfer.refused.localPort();
    }

    @AfterAll
    static void closeStacks() {
        if (transfer != null) {
            transfer.stacks.close();
        }
    }

    private static List<RecordedEvent> named(String name, Predicate<RecordedEvent> filter) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).filter(filter)
                .collect(Collectors.toList());
    }

    private static List<RecordedEvent> named(String name) {
        return named(name, e -> true);
    }

    private static RecordedEvent only(String name, Predicate<RecordedEvent> filter) {
        List<RecordedEvent> found = named(name, filter);
        assertEquals(1, found.size(), () -> name + " events matching: " + found + "\nall events: " + events);
        return found.get(0);
    }

    private static Predicate<RecordedEvent> from(String address, int port) {
        return e -> address.equals(e.getString("localAddress")) && e.getInt("localPort") == port;
    }

    private static void assertEnds(RecordedEvent e, String local, int localPort, String remote, int remotePort) {
        assertEquals(local, e.getString("localAddress"), "local address");
        assertEquals(localPort, e.getInt("localPort"), "local port");
        assertEquals(remote, e.getString("remoteAddress"), "remote address");
        assertEquals(remotePort, e.getInt("remotePort"), "remote port");
    }

    @Test
    void theClientsConnectSucceededAndTheRefusedOneFailedSayingWhy() {
        int clientPort = transfer.client.localPort();
        RecordedEvent ok = only("jnetstack.Connect", from(A, clientPort));
        assertEnds(ok, A, clientPort, B, FaultyTransfer.PORT);
        assertNull(ok.getString("failure"));

        RecordedEvent refused = only("jnetstack.Connect", from(B, transfer.refused.localPort()));
        assertEnds(refused, B, transfer.refused.localPort(), A, FaultyTransfer.CLOSED_PORT);
        assertEquals("Connection refused", refused.getString("failure"));
        assertEquals(2, named("jnetstack.Connect").size(), "no other connect");
    }

    @Test
    void theServerAcceptedTheClientsConnection() {
        RecordedEvent accept = only("jnetstack.Accept", e -> true);
        assertEnds(accept, B, FaultyTransfer.PORT, A, transfer.client.localPort());
    }

    @Test
    void theLostSynTimedOutOnceAndWentAgainUnderABackedOffRto() {
        RecordedEvent syn = only("jnetstack.RetransmissionTimeout", e -> "SYN_SENT".equals(e.getString("state")));
        assertEnds(syn, A, transfer.client.localPort(), B, FaultyTransfer.PORT);
        assertEquals(Duration.ofSeconds(2), syn.getDuration("rto"), "the 1 s initial RTO, doubled (RFC 6298 5.5)");
        assertEquals(1, syn.getInt("consecutiveTimeouts"));
        assertEquals(0, syn.getLong("bytesInFlight"));
    }

    @Test
    void everyRetransmissionTimeoutCountedIsAnEvent() {
        List<RecordedEvent> timeouts = named("jnetstack.RetransmissionTimeout");
        assertEquals(transfer.tcpCount(TcpStats.Counter.TIMEOUTS), timeouts.size());
        for (RecordedEvent e : named("jnetstack.RetransmissionTimeout", e -> !"SYN_SENT".equals(e.getString("state")))) {
            assertTrue(e.getLong("bytesInFlight") > 0, () -> "data in flight at a data timeout: " + e);
            assertTrue(e.getInt("consecutiveTimeouts") >= 1, () -> e.toString());
        }
    }

    @Test
    void theClientsAbortSentAResetThatClosedTheServerWithConnectionReset() {
        int clientPort = transfer.client.localPort();
        RecordedEvent sent = only("jnetstack.Reset", from(A, clientPort));
        assertEnds(sent, A, clientPort, B, FaultyTransfer.PORT);
        assertEquals("sent", sent.getString("direction"));
        assertEquals("ESTABLISHED", sent.getString("state"));

        RecordedEvent received = only("jnetstack.Reset", from(B, FaultyTransfer.PORT));
        assertEnds(received, B, FaultyTransfer.PORT, A, clientPort);
        assertEquals("received", received.getString("direction"));
        assertEquals("ESTABLISHED", received.getString("state"));

        RecordedEvent serverClose = only("jnetstack.Close", from(B, FaultyTransfer.PORT).and(e -> e.getInt("remotePort") != 0));
        assertEquals("ESTABLISHED", serverClose.getString("previousState"));
        assertEquals("Connection reset", serverClose.getString("reason"));
        assertEquals(FaultyTransfer.BYTES, serverClose.getLong("bytesSent"));
        assertEquals(0, serverClose.getLong("bytesReceived"));
        assertEquals(transfer.server.info().retransmittedSegments(), serverClose.getLong("retransmittedSegments"));
        assertTrue(serverClose.getLong("retransmittedSegments") > 0, "the lossy link made the server retransmit");

        RecordedEvent clientClose = only("jnetstack.Close", from(A, clientPort));
        assertEquals("ESTABLISHED", clientClose.getString("previousState"));
        assertNull(clientClose.getString("reason"), "the application's own abort is no error");
        assertEquals(FaultyTransfer.BYTES, clientClose.getLong("bytesReceived"));
    }

    @Test
    void theRefusingResetAnsweredASegmentWithoutAConnection() {
        int refusedPort = transfer.refused.localPort();
        RecordedEvent sent = only("jnetstack.Reset", from(A, FaultyTransfer.CLOSED_PORT));
        assertEnds(sent, A, FaultyTransfer.CLOSED_PORT, B, refusedPort);
        assertEquals("sent", sent.getString("direction"));
        assertNull(sent.getString("state"));

        RecordedEvent received = only("jnetstack.Reset", from(B, refusedPort));
        assertEquals("received", received.getString("direction"));
        assertEquals("SYN_SENT", received.getString("state"));

        RecordedEvent close = only("jnetstack.Close", from(B, refusedPort));
        assertEquals("SYN_SENT", close.getString("previousState"));
        assertEquals("Connection refused", close.getString("reason"));
    }

    @Test
    void theListenerClosedToo() {
        RecordedEvent close = only("jnetstack.Close", from(B, FaultyTransfer.PORT).and(e -> e.getInt("remotePort") == 0));
        assertEquals("LISTEN", close.getString("previousState"));
        assertNull(close.getString("remoteAddress"));
    }

    @Test
    void resetEventsMatchTheResetCounters() {
        assertEquals(transfer.tcpCount(TcpStats.Counter.RESETS_SENT),
                named("jnetstack.Reset", e -> "sent".equals(e.getString("direction"))).size());
        assertEquals(transfer.tcpCount(TcpStats.Counter.RESETS_RECEIVED),
                named("jnetstack.Reset", e -> "received".equals(e.getString("direction"))).size());
    }

    @Test
    void everyDropCountedIsAnEventNamingItsCounter() {
        Map<String, Long> counted = transfer.dropsByReason();
        Map<String, Long> recorded = named("jnetstack.PacketDrop").stream()
                .collect(Collectors.groupingBy(e -> e.getString("reason"), Collectors.summingLong(e -> e.getLong("count"))));
        assertEquals(counted, recorded);
        assertFalse(counted.isEmpty(), "corruption and duplication made the stacks drop segments");
        assertTrue(counted.containsKey("TCP_INVALID_SEGMENTS"), () -> "duplicates fall outside the window: " + counted);
    }
}
