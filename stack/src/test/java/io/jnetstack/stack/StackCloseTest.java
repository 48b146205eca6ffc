package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.waiter.Events;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a stack that runs on its own processor threads ends every connection on it — even
 * with many of them queued on the processors at once — and keeps no endpoint or port.
 */
@Timeout(60)
class StackCloseTest {
    private static final IpAddress ADDRESS_A = IpAddress.parse("10.0.0.1");
    private static final IpAddress ADDRESS_B = IpAddress.parse("10.0.0.2");
    private static final int PORT = 80;
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int CONNECTIONS = 100;

    private final PipeLink.Pair pipe = PipeLink.pair(1500);
    private final Stack a = stack(pipe.a(), ADDRESS_A);
    private final Stack b = stack(pipe.b(), ADDRESS_B);
    private boolean aClosed;
    private boolean bClosed;

    private static Stack stack(PipeLink end, IpAddress address) {
        Stack s = Stack.builder().network(NetworkProtocols.ipv4()).processors(2).transport(new TcpProtocol()).build();
        s.createNic("pipe", end).addAddress(new IpSubnet(address, 24));
        return s;
    }

    private static TcpProtocol tcp(Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private void closeA() {
        aClosed = true;
        a.close();
    }

    @AfterEach
    void closeStacks() {
        if (!aClosed) {
            closeA();
        }
        if (!bClosed) {
            b.close();
        }
    }

    /** Connects {@link #CONNECTIONS} endpoints of A to a listener on B; returns A's ends. */
    private List<TcpEndpoint> connect(TcpEndpoint listener) throws Exception {
        listener.bind(ADDRESS_B, PORT);
        listener.listen(CONNECTIONS);
        List<TcpEndpoint> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            TcpEndpoint c = tcp(a).newEndpoint();
            c.connect(ADDRESS_B, PORT);
            clients.add(c);
        }
        for (TcpEndpoint c : clients) {
            Await.until(c.waiterQueue(), Events.ALL, () -> c.state() == TcpState.ESTABLISHED, LIMIT, c + " established");
        }
        return clients;
    }

    /** Closes A and checks that each of {@code clients} ended (waking its waiters) and let go of its endpoint and port. */
    private void closeAAndCheckEveryConnectionEnds(List<TcpEndpoint> clients) throws InterruptedException {
        List<Integer> ports = clients.stream().map(TcpEndpoint::localPort).toList();
        closeA();
        for (TcpEndpoint c : clients) {
            Await.until(c.waiterQueue(), Events.ALL, () -> c.state() == TcpState.CLOSED, LIMIT, c + " ended by the stack's close");
        }
        assertEquals(0, a.demuxer().size(), "endpoints left registered on the closed stack");
        for (int port : ports) {
            assertFalse(a.ports().isReserved(TcpProtocol.PROTOCOL_NUMBER, IpAddress.IPV4_ANY, port), "port " + port + " released");
        }
    }

    @Test
    void closingAStackEndsEveryEstablishedConnection() throws Exception {
        List<TcpEndpoint> clients = connect(tcp(b).newEndpoint());
        closeAAndCheckEveryConnectionEnds(clients);
    }

    @Test
    void closingAStackDropsItsConnectionsInTimeWait() throws Exception {
        TcpEndpoint listener = tcp(b).newEndpoint();
        List<TcpEndpoint> clients = connect(listener);
        for (TcpEndpoint c : clients) {
            c.close(); // A closes first, so A's end waits in TIME-WAIT once B closes too
        }
        List<TcpEndpoint> accepted = new ArrayList<>();
        Await.until(listener.waiterQueue(), Events.IN, () -> {
            for (TcpEndpoint e; (e = listener.accept()) != null; ) {
                accepted.add(e);
                e.close();
            }
            return accepted.size() == CONNECTIONS;
        }, LIMIT, "every connection accepted");
        for (TcpEndpoint c : clients) {
            Await.until(c.waiterQueue(), Events.ALL, () -> c.state() == TcpState.TIME_WAIT, LIMIT, c + " in TIME-WAIT");
        }
        closeAAndCheckEveryConnectionEnds(clients);
    }

    @Test
    void closingAStackWithConnectionsNotYetAcceptedEndsThemWithoutAnErrorOnItsThreads() throws Exception {
        TcpEndpoint listener = tcp(b).newEndpoint();
        connect(listener);
        Await.until(listener.waiterQueue(), Events.IN, () -> listener.readiness(Events.IN) != 0, LIMIT, "a connection to accept");
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        try {
            bClosed = true;
            b.close(); // the listener and its unaccepted connections are aborted together
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of(), uncaught, "exceptions on the stack's threads");
        assertEquals(0, b.demuxer().size(), "endpoints left registered on the closed stack");
    }
}
