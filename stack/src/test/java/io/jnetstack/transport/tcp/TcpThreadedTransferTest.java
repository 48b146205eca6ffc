package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The threading model for real: processor threads, the system clock, link delivery threads, and
 * application threads that only touch buffers and wait on the waiter queue. Four application
 * threads move data both ways at once.
 */
class TcpThreadedTransferTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final int SIZE = 16 << 20;

    /** Blocks an application thread until its endpoint's waiter queue fires; no event is lost between check and wait. */
    private static final class Waiter {
        private final Semaphore events = new Semaphore(0);

        /** Wakes for {@code events} and for errors and hang-ups, which end any wait. */
        Waiter(TcpEndpoint ep, int events) {
            ep.waiterQueue().register(new WaiterEntry(events | Events.ERR | Events.HUP, e -> this.events.release()));
        }

        void await() throws InterruptedException {
            events.tryAcquire(1, TimeUnit.SECONDS); // the bound only guards against a lost wake-up bug hanging the test
            events.drainPermits();
        }
    }

    private static Stack stack(IpAddress address, PipeLink end) {
        Stack s = Stack.builder().network(NetworkProtocols.ipv4()).processors(2).transport(new TcpProtocol()).build();
        s.createNic("pipe", end).addAddress(new IpSubnet(address, 24));
        return s;
    }

    private static TcpProtocol tcp(Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private static byte[] send(TcpEndpoint ep, Waiter waiter, byte[] data) throws Exception {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            if (ep.write(src) == 0) {
                waiter.await();
            }
        }
        ep.shutdownOutput();
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] receive(TcpEndpoint ep, Waiter waiter, int expected) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        while (true) {
            buffer.clear();
            int n = ep.read(buffer);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                waiter.await();
                continue;
            }
            digest.update(buffer.array(), 0, n);
            total += n;
        }
        assertEquals(expected, total);
        return digest.digest();
    }

    @Test
    void sixteenMegabytesEachWayWithProcessorAndApplicationThreads() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            PipeLink.Pair pipe = PipeLink.pair(1500);
            Stack a = stack(A, pipe.a());
            Stack b = stack(B, pipe.b());
            ExecutorService apps = Executors.newFixedThreadPool(4);
            try {
                TcpEndpoint listener = tcp(b).newEndpoint();
                listener.bind(B, 7000);
                listener.listen(4);
                Waiter listenerWaiter = new Waiter(listener, Events.IN);
                TcpEndpoint client = tcp(a).newEndpoint();
                Waiter connectWaiter = new Waiter(client, Events.OUT);
                client.connect(B, 7000);
                while (client.readiness(Events.OUT | Events.ERR) == 0) {
                    connectWaiter.await();
                }
                assertNull(client.getAndClearError());
                TcpEndpoint server;
                while ((server = listener.accept()) == null) {
                    listenerWaiter.await();
                }
                byte[] up = new byte[SIZE];
                byte[] down = new byte[SIZE];
                new Random(1).nextBytes(up);
                new Random(2).nextBytes(down);
                TcpEndpoint s = server;
                // One waiter per thread: a thread that drains its wake-ups never eats another's.
                Future<byte[]> sentUp = apps.submit(() -> send(client, new Waiter(client, Events.OUT), up));
                Future<byte[]> sentDown = apps.submit(() -> send(s, new Waiter(s, Events.OUT), down));
                Future<byte[]> receivedUp = apps.submit(() -> receive(s, new Waiter(s, Events.IN), SIZE));
                Future<byte[]> receivedDown = apps.submit(() -> receive(client, new Waiter(client, Events.IN), SIZE));
                assertArrayEquals(sentUp.get(), receivedUp.get());
                assertArrayEquals(sentDown.get(), receivedDown.get());
                client.close();
                server.close();
            } finally {
                apps.shutdownNow();
                a.close();
                b.close();
            }
        });
    }
}
