package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A NIC whose link failed for good (its TAP device vanished) fails loudly: its connections end with
 * the link's error instead of waiting forever, and no new connection is routed through it.
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

    @Test
    void connectionOverAFailedLinkEndsWithTheLinksError() throws IOException {
        TcpEndpoint listener = tcp(net.b).newEndpoint();
        listener.bind(ADDRESS_B, 80);
        listener.listen(1);
        TcpEndpoint client = tcp(net.a).newEndpoint();
        client.connect(ADDRESS_B, 80);
        net.settle();
        assertNotNull(listener.accept());

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
}
