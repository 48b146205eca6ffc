package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How connect ends between two real stacks: refused, timed out, unroutable. */
class TcpTwoStacksConnectTest {
    private static TcpEndpoint clientOf(TwoStacks s) {
        return ((TcpProtocol) s.a.transport(TcpProtocol.PROTOCOL_NUMBER)).newEndpoint();
    }

    @Test
    void connectToAPortWithoutListenerIsRefused() throws IOException {
        try (TwoStacks s = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpEndpoint client = clientOf(s);
            client.connect(TwoStacks.ADDRESS_B, 9);
            s.settle();
            assertEquals(Events.OUT | Events.ERR, client.readiness(Events.OUT | Events.ERR));
            ConnectException e = assertInstanceOf(ConnectException.class, client.getAndClearError());
            assertEquals("Connection refused", e.getMessage());
        }
    }

    @Test
    void connectToAHostThatNeverAnswersTimesOutAfterTheSynRetries() throws IOException {
        try (TwoStacks s = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            s.nicB.disable();
            TcpEndpoint client = clientOf(s);
            client.connect(TwoStacks.ADDRESS_B, 80);
            s.advance(Duration.ofSeconds(126));
            assertEquals(TcpState.SYN_SENT, client.state());
            s.advance(Duration.ofSeconds(1));
            assertEquals(TcpState.CLOSED, client.state());
            assertEquals("Connection timed out", client.getAndClearError().getMessage());
        }
    }

    @Test
    void connectOffEveryRouteFailsAtOnce() {
        try (TwoStacks s = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpEndpoint client = clientOf(s);
            assertThrows(NoRouteToHostException.class, () -> client.connect(IpAddress.parse("192.0.2.1"), 80));
        }
    }
}
