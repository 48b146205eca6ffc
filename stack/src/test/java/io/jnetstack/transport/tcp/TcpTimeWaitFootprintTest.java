package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.stack.ConnectionSnapshot;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.TwoStacks;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * A connection in TIME-WAIT that the application closed keeps only what TIME-WAIT needs (issue
 * 14): its size is what the stack keeps reachable with such connections less what it keeps once
 * they expired, so garbage and GC timing do not enter. The connections first carry data both ways,
 * so their sender, receiver, buffers and timers all exist before they close.
 */
class TcpTimeWaitFootprintTest {
    private static final int PORT = 80;
    private static final int CONNECTIONS = 64;
    private static final Duration TIME_WAIT = Duration.ofSeconds(60);
    /**
     * Bytes one TIME-WAIT end may keep: the endpoint, its emptied buffers, options, TIME-WAIT
     * state, route, processor, 2·MSL timer and its demuxer and port entries. 1,731 B while it kept
     * its sender, receiver and the rest; 898 B since it sheds them.
     */
    private static final long MAX_BYTES_PER_TIME_WAIT_END = 1_000;

    static {
        // Lambdas are hidden classes, whose field offsets JOL finds only this way.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static TcpProtocol tcp(Stack stack) {
        return (TcpProtocol) stack.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    @Test
    void aClosedTimeWaitEndKeepsLittleMoreThanItsSequenceNumbersAndTimer() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpEndpoint listener = tcp(net.b).newEndpoint();
            listener.bind(ADDRESS_B, PORT);
            listener.listen(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                openUseAndCloseFirst(net, listener);
            }
            assertEquals(CONNECTIONS, countTimeWait(net.a), "A closed first: its ends wait 2·MSL");

            long withTimeWait = GraphLayout.parseInstance(net.a).totalSize();
            net.advance(TIME_WAIT.plusSeconds(1));
            net.settle();
            assertEquals(0, countTimeWait(net.a), "2·MSL over");
            long afterwards = GraphLayout.parseInstance(net.a).totalSize();

            long perEnd = (withTimeWait - afterwards) / CONNECTIONS;
            System.out.println("TcpTimeWaitFootprintTest: " + perEnd + " B reachable per TIME-WAIT end");
            assertTrue(perEnd > 0, "a TIME-WAIT end keeps something reachable: " + perEnd);
            assertTrue(perEnd <= MAX_BYTES_PER_TIME_WAIT_END, perEnd + " B per TIME-WAIT end");
        }
    }

    /** Connects from A, sends a little each way, closes on A first, then on B once A's FIN arrived. */
    private static void openUseAndCloseFirst(TwoStacks net, TcpEndpoint listener) throws Exception {
        TcpEndpoint client = tcp(net.a).newEndpoint();
        client.connect(ADDRESS_B, PORT);
        net.settle();
        TcpEndpoint server = listener.accept();
        assertNotNull(server, "the handshake completed");
        client.write(ByteBuffer.allocate(3000));
        server.write(ByteBuffer.allocate(3000));
        net.settle();
        ByteBuffer sink = ByteBuffer.allocate(4096);
        assertEquals(3000, client.read(sink));
        sink.clear();
        assertEquals(3000, server.read(sink));
        net.advance(Duration.ofMillis(200)); // delayed ACKs go out
        client.close();
        net.settle();
        sink.clear();
        assertEquals(-1, server.read(sink));
        server.close();
        net.settle();
        assertEquals(TcpState.TIME_WAIT, client.state());
    }

    private static long countTimeWait(Stack stack) {
        return stack.connections().stream().map(ConnectionSnapshot::state).filter("TIME_WAIT"::equals).count();
    }
}
