package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.stack.ConnectionSnapshot;
import io.jnetstack.stack.ConnectionsMBean;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.TwoStacks;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** Stack.connections(), the ss-like view, over two real stacks on a pipe. */
class TcpConnectionSnapshotTest {
    private static final int PORT = 80;
    private static final int RECEIVE_BUFFER = 4096;
    /** The one-way delay the test puts between SYN and SYN-ACK: the client's one RTT sample. */
    private static final Duration HANDSHAKE_RTT = Duration.ofMillis(10);

    private static TcpProtocol tcp(Stack stack) {
        return (TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private static TcpConnectionSnapshot only(Stack stack, TcpState state) {
        List<TcpConnectionSnapshot> matching = stack.connections().stream().map(TcpConnectionSnapshot.class::cast)
                .filter(c -> c.tcpState() == state).toList();
        assertEquals(1, matching.size(), "one " + state + " socket in " + stack.connections());
        return matching.get(0);
    }

    /** A client on A connected to a listener on B, whose accepted child reads nothing yet. */
    private record Connected(TcpEndpoint client, TcpEndpoint listener, TcpEndpoint server) {
    }

    private static Connected connect(TwoStacks net) throws Exception {
        TcpEndpoint listener = tcp(net.b).newEndpoint();
        listener.setReceiveBufferSize(RECEIVE_BUFFER);
        listener.bind(ADDRESS_B, PORT);
        listener.listen(8);
        TcpEndpoint client = tcp(net.a).newEndpoint();
        client.setOwner("test.ClientChannel");
        client.connect(ADDRESS_B, PORT); // the SYN waits on the wire
        net.clock.advance(HANDSHAKE_RTT);
        net.settle();
        TcpEndpoint server = listener.accept();
        assertTrue(server != null, "the handshake completed");
        return new Connected(client, listener, server);
    }

    @Test
    void anEstablishedConnectionShowsItsAddressesOptionsAndRtt() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            Connected c = connect(net);

            TcpConnectionSnapshot s = only(net.a, TcpState.ESTABLISHED);
            assertEquals(ADDRESS_A, s.localAddress());
            assertEquals(c.client().localPort(), s.localPort());
            assertEquals(ADDRESS_B, s.remoteAddress());
            assertEquals(PORT, s.remotePort());
            assertEquals("test.ClientChannel", s.owner());
            assertEquals(0, s.receiveQueueBytes());
            assertEquals(0, s.sendQueueBytes());
            // RFC 6298 §2.2, first sample R: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR floored at 200 ms.
            assertEquals(HANDSHAKE_RTT.toNanos(), s.srttNanos());
            assertEquals(HANDSHAKE_RTT.toNanos() / 2, s.rttvarNanos());
            assertEquals(RttEstimator.DEFAULT_MIN_RTO_NANOS, s.rtoNanos());
            assertTrue(s.sack() && s.timestamps(), "both stacks offer SACK and timestamps");
            assertEquals(1500 - 20 - 20 - NegotiatedOptions.TIMESTAMPS_OPTION_LENGTH, s.sndMss());
            assertEquals(1500 - 20 - 20, s.advertisedMss());
            assertEquals(CongestionControl.initialWindow(s.sndMss()), s.cwnd());
            assertEquals(Integer.MAX_VALUE, s.ssthresh(), "no loss yet");
            assertEquals(0, s.retransmittedSegments());
            TcpConnectionSnapshot accepted = only(net.b, TcpState.ESTABLISHED);
            assertEquals(accepted.rcvWindowScale(), s.sndWindowScale(), "A sends with B's window scale");
            assertEquals(s.rcvWindowScale(), accepted.sndWindowScale(), "B sends with A's window scale");
            assertTrue(s.rcvWindowScale() > 0, "A's auto-tuned buffer needs a scale: " + s.rcvWindowScale());

            TcpConnectionSnapshot listening = only(net.b, TcpState.LISTEN);
            assertEquals(PORT, listening.localPort());
            assertNull(listening.remoteAddress());
            assertEquals(0, listening.receiveQueueBytes(), "the one connection was accepted");
            assertEquals(8, listening.sendQueueBytes(), "a listener's Send-Q is its backlog, as in ss");
        }
    }

    @Test
    void queuesShowWhatAZeroWindowHoldsBack() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            Connected c = connect(net);
            int written = c.client().write(ByteBuffer.allocate(3 * RECEIVE_BUFFER));
            net.settle(); // B's buffer fills, its window closes; the rest waits in A's send buffer

            TcpConnectionSnapshot server = only(net.b, TcpState.ESTABLISHED);
            TcpConnectionSnapshot client = only(net.a, TcpState.ESTABLISHED);
            assertEquals(c.server().available(), server.receiveQueueBytes());
            assertTrue(server.receiveQueueBytes() > 0 && server.receiveQueueBytes() <= RECEIVE_BUFFER,
                    "B holds at most its buffer: " + server.receiveQueueBytes());
            assertEquals(written - server.receiveQueueBytes(), client.sendQueueBytes(),
                    "what B took is acknowledged; the rest is A's Send-Q");
            assertEquals(server.receiveQueueBytes(), client.bytesAcked());
        }
    }

    @Test
    void closingShowsTheCloseStatesAndThenTimeWaitAlone() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            Connected c = connect(net);
            c.client().close();
            net.settle();
            only(net.a, TcpState.FIN_WAIT_2);
            only(net.b, TcpState.CLOSE_WAIT);

            c.server().close();
            net.settle();
            only(net.a, TcpState.TIME_WAIT);
            assertEquals(List.of(TcpState.LISTEN), net.b.connections().stream()
                    .map(s -> ((TcpConnectionSnapshot) s).tcpState()).toList(), "B's side is gone");

            net.advance(Duration.ofMinutes(2)); // past 2·MSL
            assertEquals(List.of(), net.a.connections());
        }
    }

    @Test
    void theConnectionsMBeanCarriesTheSnapshotsUntilTheStackCloses() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.jnetstack:type=Connections,stack=\"snapshot-test\"");
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            net.a.registerMBeans("snapshot-test");
            Connected c = connect(net);

            CompositeData[] rows = (CompositeData[]) server.getAttribute(name, ConnectionsMBean.ATTRIBUTE);
            assertEquals(1, rows.length);
            CompositeData row = rows[0];
            assertEquals("tcp", row.get("protocol"));
            assertEquals("ESTABLISHED", row.get("state"));
            assertEquals("10.0.0.1", row.get("localAddress"));
            assertEquals(c.client().localPort(), row.get("localPort"));
            assertEquals("10.0.0.2", row.get("remoteAddress"));
            assertEquals(PORT, row.get("remotePort"));
            assertEquals("test.ClientChannel", row.get("owner"));
            TabularData details = (TabularData) row.get("details");
            assertEquals("true", details.get(new Object[] {"sack"}).get("value"));
            assertEquals(String.valueOf(HANDSHAKE_RTT.toNanos()), details.get(new Object[] {"srttNanos"}).get("value"));
            Map<String, Object> expected = only(net.a, TcpState.ESTABLISHED).details();
            assertEquals(expected.size(), details.size(), "every detail crosses JMX");
        }
        assertFalse(server.isRegistered(name), "closing the stack unregisters the view");
    }
}
