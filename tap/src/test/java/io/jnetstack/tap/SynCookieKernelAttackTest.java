package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelPython;
import io.jnetstack.tap.testing.NamespaceProcess;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, attack 1, with the kernel as attacker and as the real clients: spoofed SYNs through a
 * raw socket fill the listener's SYN queue, then kernel clients send their requests right behind
 * the ACK that completes each cookie handshake (syn_cookie_attack.py). Every client must be
 * served, and the server must keep no connection its client does not know of.
 */
class SynCookieKernelAttackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int PORT = 8080;
    private static final int BACKLOG = 128;
    /** More than the SYN queue holds (the backlog), as in the report. */
    private static final int SPOOFED_SYNS = 300;
    private static final int CLIENTS = 10;
    /** Several segments, so data segments follow the handshake's ACK back to back. */
    private static final int REQUEST_LENGTH = 5_000;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @TempDir
    Path scratch;

    private final TcpProtocol tcp = new TcpProtocol();
    private final ExecutorService handlers = Executors.newFixedThreadPool(CLIENTS);
    private Stack stack;

    @AfterEach
    void stopStack() throws InterruptedException {
        handlers.shutdownNow();
        handlers.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (stack != null) {
            stack.close(); // and its clock
        }
    }

    @Test
    void kernelClientsSendingRightBehindTheCookieAckAreAllServed() throws Exception {
        KernelPython.require();
        stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp).build();
        stack.createNic("tap", peer.link()).addAddress(new IpSubnet(IpAddress.of(KernelPeer.STACK_ADDRESS),
                KernelPeer.PREFIX_LENGTH));
        TcpEndpoint listener = tcp.newEndpoint();
        listener.bind(IpAddress.IPV4_ANY, PORT);
        listener.listen(BACKLOG);

        List<Future<?>> served = new ArrayList<>();
        try (NamespaceProcess attack = KernelPython.spawn(peer, scratch, getClass(), "syn_cookie_attack.py",
                peer.deviceName(), peer.link().linkAddress().toString(), KernelPeer.STACK_ADDRESS.getHostAddress(),
                Integer.toString(PORT), Integer.toString(SPOOFED_SYNS), Integer.toString(CLIENTS),
                Integer.toString(REQUEST_LENGTH))) {
            for (int i = 0; i < CLIENTS; i++) {
                TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
                served.add(handlers.submit(() -> {
                    serve(connection);
                    return null;
                }));
            }
            OptionalInt exit = attack.awaitExit(TIMEOUT);
            assertEquals(OptionalInt.of(0), exit, attack::output);
            assertTrue(attack.output().contains("served " + CLIENTS + "/" + CLIENTS), attack::output);
        }
        for (Future<?> connection : served) {
            connection.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        TcpStats stats = tcp.stats();
        assertTrue(stats.get(TcpStats.Counter.SYN_COOKIES_VALIDATED) >= CLIENTS,
                "the flood must put the listener into cookie mode: " + stats);
        assertEquals(0, stats.get(TcpStats.Counter.CURRENT_ESTABLISHED), "connections left established: " + stats);
        assertNull(listener.accept(), "a connection no client asked for is waiting to be accepted");
    }

    /** Reads a request to its end, answers "got N" and closes; the connection must then close cleanly. */
    private static void serve(TcpEndpoint connection) throws Exception {
        byte[] request = BlockingTcp.readToEnd(connection, REQUEST_LENGTH, TIMEOUT);
        BlockingTcp.writeAll(connection, ("got " + request.length).getBytes(StandardCharsets.US_ASCII), TIMEOUT);
        connection.close();
        BlockingTcp.awaitClosed(connection, TIMEOUT);
    }
}
