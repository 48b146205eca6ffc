package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.PortManager;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.Await;
import io.jnetstack.waiter.Events;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many application threads connect to one remote address and port from one stack with a small
 * ephemeral range, on real processor threads. As on Linux, where __inet_hash_connect checks and
 * claims the 4-tuple under the port's bucket lock, a connect must never pick a 4-tuple another
 * connect holds: it takes another port, and fails only with "Cannot assign requested address"
 * when every port is taken, never with "Address already in use".
 */
class TcpConnectPortRaceTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final int THREADS = 4;
    private static final int CONNECTS_PER_THREAD = 400;
    /** No listener there: B answers each SYN with a RST. */
    private static final int CLOSED_PORT = 9;

    private static Stack stack(IpAddress address, PipeLink end, PortManager ports) {
        Stack s = Stack.builder().network(NetworkProtocols.ipv4()).processors(2).portManager(ports)
                .transport(new TcpProtocol()).build();
        s.createNic("pipe", end).addAddress(new IpSubnet(address, 24));
        return s;
    }

    @Test
    void concurrentConnectsToOneRemoteNeverCollideOnA4Tuple() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            PipeLink.Pair pipe = PipeLink.pair(1500);
            Stack a = stack(A, pipe.a(), new PortManager(40000, 40001, new Random(1)));
            Stack b = stack(B, pipe.b(), new PortManager());
            TcpProtocol tcp = (TcpProtocol) a.transport(TcpProtocol.PROTOCOL_NUMBER);
            ExecutorService apps = Executors.newFixedThreadPool(THREADS);
            Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
            AtomicInteger connected = new AtomicInteger();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    threads.add(apps.submit(() -> {
                        start.await();
                        for (int i = 0; i < CONNECTS_PER_THREAD; i++) {
                            TcpEndpoint ep = tcp.newEndpoint();
                            try {
                                ep.connect(B, CLOSED_PORT);
                                connected.incrementAndGet();
                            } catch (BindException e) {
                                failures.computeIfAbsent(e.getMessage(), m -> new AtomicInteger()).incrementAndGet();
                            }
                            ep.abort();
                            Await.until(ep.waiterQueue(), Events.ALL, () -> ep.state() == TcpState.CLOSED,
                                    Duration.ofSeconds(10), "the aborted connect to close");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : threads) {
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                apps.shutdownNow();
                a.close();
                b.close();
            }
            assertEquals(null, failures.get("Address already in use"),
                    "connects that lost a 4-tuple race although other ports were free; all failures: " + failures);
            assertTrue(connected.get() > 0, "no connect got a port: " + failures);
        });
    }
}
