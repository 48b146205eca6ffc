package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A NIC whose link failed for good (its TAP device vanished) fails loudly: its connections end with
 * the link's error instead of waiting forever, and no new connection is routed through it. A stack
 * that closes under its connections ends them the same way, with an abort.
 */
class TcpLinkFailureTest {
    private final TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build();
    private final IOException cause = new IOException("TAP device tap9: read failed: EBADFD");

    @AfterEach
    void close() {
        net.close();
    }

    private static TcpProtocol tcp(io.jnetstack.stack.Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    /** A connection from A to B: A's end; B's end has sent {@code fromB}. */
    private TcpEndpoint connect(byte[] fromB) throws IOException {
        TcpEndpoint listener = tcp(net.b).newEndpoint();
        listener.bind(ADDRESS_B, 80);
        listener.listen(1);
        TcpEndpoint client = tcp(net.a).newEndpoint();
        client.connect(ADDRESS_B, 80);
        net.settle();
        TcpEndpoint server = listener.accept();
        assertNotNull(server);
        server.write(ByteBuffer.wrap(fromB));
        net.settle();
        return client;
    }

    @Test
    void connectionOverAFailedLinkEndsWithTheLinksError() throws IOException {
        TcpEndpoint client = connect(new byte[0]);

        net.nicA.linkFailed(cause);
        net.settle();

        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(Events.ERR, client.readiness(Events.ERR));
        IOException thrown = assertThrows(IOException.class, () -> client.read(ByteBuffer.allocate(1)));
        assertEquals(cause.getMessage(), thrown.getMessage());
    }

    @Test
    void noNewConnectionIsRoutedThroughAFailedLink() {
        net.nicA.linkFailed(cause);
        assertThrows(NoRouteToHostException.class, () -> tcp(net.a).newEndpoint().connect(ADDRESS_B, 80));
    }

    /**
     * As Linux's tcp_abort ({@code ss -K}) ends a socket with ECONNABORTED: what had arrived is
     * still read, then an error, never an end of stream, which would tell the application that the
     * peer ended the stream and nothing was cut short.
     */
    @Test
    void aReadAfterTheStackClosedGetsWhatArrivedThenAnAbortNotAnEndOfStream() throws IOException {
        TcpEndpoint client = connect(new byte[] {1, 2});

        net.a.close();

        assertEquals(TcpState.CLOSED, client.state());
        assertEquals(Events.IN | Events.ERR, client.readiness(Events.IN | Events.ERR), "a blocked read wakes");
        assertEquals(2, client.read(ByteBuffer.allocate(8)));
        IOException thrown = assertThrows(IOException.class, () -> client.read(ByteBuffer.allocate(8)));
        assertEquals(TransportProtocol.STACK_CLOSED_MESSAGE, thrown.getMessage());
    }
}
