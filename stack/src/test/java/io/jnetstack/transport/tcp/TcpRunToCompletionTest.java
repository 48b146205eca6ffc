package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.DeliveryMode;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.link.NetworkDispatcher;
import io.jnetstack.link.PipeLink;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.Await;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stacks without processor threads, on links that deliver on the writer's thread: whichever thread
 * has work for a connection runs it, and a thread that finds the connection busy leaves its work
 * on the connection's backlog. Application threads, the peer's threads delivering segments, and
 * the timer thread race into the same connections; nothing may be lost, reordered or deadlocked.
 */
class TcpRunToCompletionTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final IpAddress LOCALHOST = IpAddress.parse("127.0.0.1");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = 7000;

    private static Stack stack(TcpProtocol tcp) {
        return Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp).build();
    }

    @Test
    void applicationThreadsAndInboundSegmentsRaceIntoBothConnectionsWithNothingLost() {
        int size = 4 << 20;
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            TcpProtocol tcpA = new TcpProtocol();
            TcpProtocol tcpB = new TcpProtocol();
            ExecutorService apps = Executors.newFixedThreadPool(4);
            try (PipeLink.Pair pipe = PipeLink.pair(1500, DeliveryMode.inline()); Stack a = stack(tcpA); Stack b = stack(tcpB)) {
                a.createNic("pipe", pipe.a()).addAddress(new IpSubnet(A, 24));
                b.createNic("pipe", pipe.b()).addAddress(new IpSubnet(B, 24));
                assertEquals(0, a.processorCount());
                TcpEndpoint[] pair = connect(tcpA, tcpB, B);
                TcpEndpoint client = pair[0];
                TcpEndpoint server = pair[1];
                byte[] up = randomBytes(1, size);
                byte[] down = randomBytes(2, size);
                Future<?> sentUp = apps.submit(() -> sendAll(client, up));
                Future<?> sentDown = apps.submit(() -> sendAll(server, down));
                Future<byte[]> receivedUp = apps.submit(() -> receiveAll(server, size));
                Future<byte[]> receivedDown = apps.submit(() -> receiveAll(client, size));
                sentUp.get();
                sentDown.get();
                assertArrayEquals(up, receivedUp.get());
                assertArrayEquals(down, receivedDown.get());
                client.close();
                server.close();
            } finally {
                apps.shutdownNow();
            }
        });
    }

    @Test
    void echoWrittenFromInsideTheDeliveryIsQueuedNotDeliveredWithin() {
        int roundTrips = 200;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TcpProtocol tcp = new TcpProtocol();
            DepthCountingLink loopback = new DepthCountingLink(new LoopbackLink(LoopbackLink.DEFAULT_MTU, DeliveryMode.inline()));
            try (Stack stack = stack(tcp)) {
                stack.createNic("lo", loopback).addAddress(new IpSubnet(LOCALHOST, 8));
                TcpEndpoint[] pair = connect(tcp, tcp, LOCALHOST);
                TcpEndpoint client = pair[0];
                TcpEndpoint server = pair[1];
                client.setNoDelay(true);
                server.setNoDelay(true);
                // The server echoes from its waiter callback, which runs inside the delivery of the request.
                AtomicInteger echoed = new AtomicInteger();
                server.waiterQueue().register(new WaiterEntry(Events.IN, events -> echo(server, echoed)));

                ByteBuffer reply = ByteBuffer.allocate(1);
                for (int i = 0; i < roundTrips; i++) {
                    client.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    // Run to completion: the request, the echo and its delivery all ran inside the write.
                    assertEquals(1, client.available(), "round trip " + i + " completed inside write()");
                    reply.clear();
                    assertEquals(1, client.read(reply));
                    assertEquals((byte) i, reply.get(0));
                }
                assertEquals(roundTrips, echoed.get());
                assertEquals(1, loopback.deepest.get(), "no segment was delivered inside another's delivery");
                assertEquals(Set.of(Thread.currentThread()), loopback.threads);
                client.close();
                server.close();
            }
        });
    }

    @Test
    void retransmissionTimerEntersTheConnectionFromTheTimerThreadWhileTheApplicationWrites() {
        int size = 1 << 20;
        int timeoutsToWaitFor = 3;
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            TcpConfig shortRto = TcpConfig.builder().minRto(Duration.ofMillis(10)).initialRto(Duration.ofMillis(50)).build();
            TcpProtocol tcpA = new TcpProtocol(shortRto);
            TcpProtocol tcpB = new TcpProtocol(shortRto);
            ExecutorService apps = Executors.newFixedThreadPool(2);
            try (PipeLink.Pair pipe = PipeLink.pair(1500, DeliveryMode.inline()); Stack a = stack(tcpA); Stack b = stack(tcpB)) {
                // A's data is lost until A's retransmission timer has run out a few times.
                DataDroppingLink lossy = new DataDroppingLink(pipe.a(),
                        () -> tcpA.stats().get(TcpStats.Counter.TIMEOUTS) < timeoutsToWaitFor);
                a.createNic("pipe", lossy).addAddress(new IpSubnet(A, 24));
                b.createNic("pipe", pipe.b()).addAddress(new IpSubnet(B, 24));
                TcpEndpoint[] pair = connect(tcpA, tcpB, B);
                TcpEndpoint client = pair[0];
                TcpEndpoint server = pair[1];
                lossy.dropping = true;
                byte[] data = randomBytes(3, size);
                Future<?> sent = apps.submit(() -> sendAll(client, data));
                Future<byte[]> received = apps.submit(() -> receiveAll(server, size));
                sent.get();
                assertArrayEquals(data, received.get());
                assertTrue(tcpA.stats().get(TcpStats.Counter.TIMEOUTS) >= timeoutsToWaitFor);
                assertTrue(lossy.dropped.get() > 0);
                assertTrue(lossy.droppedOnTimerThread.get() > 0,
                        "the timer thread itself retransmitted: it entered the connection, no processor in between");
                client.close();
                server.close();
            } finally {
                apps.shutdownNow();
            }
        });
    }

    @Test
    void closingTheStackWhileApplicationThreadsAreInsideItsConnectionsEndsEveryOneOfThem() {
        int connections = 4;
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            TcpProtocol tcp = new TcpProtocol();
            ExecutorService apps = Executors.newFixedThreadPool(2 * connections);
            try {
                Stack stack = stack(tcp);
                stack.createNic("lo", new LoopbackLink(LoopbackLink.DEFAULT_MTU, DeliveryMode.inline()))
                        .addAddress(new IpSubnet(LOCALHOST, 8));
                List<Future<?>> ends = new ArrayList<>();
                CountDownLatch allFlowing = new CountDownLatch(2 * connections);
                for (int i = 0; i < connections; i++) {
                    TcpEndpoint[] pair = connect(tcp, tcp, LOCALHOST, PORT + i);
                    // Endless streams: only the stack's close ends them.
                    ends.add(apps.submit(() -> writeUntilFailure(pair[0], allFlowing)));
                    ends.add(apps.submit(() -> readUntilFailure(pair[1], allFlowing)));
                }
                assertTrue(allFlowing.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every stream is moving");

                stack.close();

                for (Future<?> end : ends) {
                    IOException e = assertInstanceOf(IOException.class, end.get());
                    assertEquals(TcpProtocol.STACK_CLOSED_MESSAGE, e.getMessage());
                }
            } finally {
                apps.shutdownNow();
            }
        });
    }

    /** Connects a client of {@code clientTcp} to a listener of {@code serverTcp} at {@code serverAddress}: {client, server}. */
    private static TcpEndpoint[] connect(TcpProtocol clientTcp, TcpProtocol serverTcp, IpAddress serverAddress)
            throws Exception {
        return connect(clientTcp, serverTcp, serverAddress, PORT);
    }

    private static TcpEndpoint[] connect(TcpProtocol clientTcp, TcpProtocol serverTcp, IpAddress serverAddress, int port)
            throws Exception {
        TcpEndpoint listener = serverTcp.newEndpoint();
        listener.bind(serverAddress, port);
        listener.listen(4);
        TcpEndpoint client = clientTcp.newEndpoint();
        client.connect(serverAddress, port);
        Await.until(client.waiterQueue(), Events.OUT | Events.ERR, () -> client.readiness(Events.OUT | Events.ERR) != 0,
                WAIT, "the handshake");
        assertNull(client.getAndClearError());
        TcpEndpoint[] server = new TcpEndpoint[1];
        Await.until(listener.waiterQueue(), Events.IN, () -> (server[0] = listener.accept()) != null, WAIT, "accept");
        listener.close();
        return new TcpEndpoint[] {client, server[0]};
    }

    private static void echo(TcpEndpoint server, AtomicInteger echoed) {
        ByteBuffer b = ByteBuffer.allocate(16);
        try {
            if (server.read(b) > 0) {
                b.flip();
                server.write(b);
                echoed.incrementAndGet();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes until the connection fails, counting down {@code flowing} once the first bytes went; returns the failure. */
    private static IOException writeUntilFailure(TcpEndpoint ep, CountDownLatch flowing) throws InterruptedException {
        ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
        boolean counted = false;
        try {
            while (true) {
                chunk.clear();
                if (ep.write(chunk) == 0) {
                    Await.until(ep.waiterQueue(), Events.OUT | Events.ERR | Events.HUP,
                            () -> ep.readiness(Events.OUT | Events.ERR | Events.HUP) != 0, WAIT, "room in the send buffer");
                } else if (!counted) {
                    flowing.countDown();
                    counted = true;
                }
            }
        } catch (IOException e) {
            return e;
        }
    }

    /** Reads until the connection fails, counting down {@code flowing} once the first bytes came; returns the failure. */
    private static IOException readUntilFailure(TcpEndpoint ep, CountDownLatch flowing) throws InterruptedException {
        ByteBuffer dst = ByteBuffer.allocate(16 * 1024);
        boolean counted = false;
        try {
            while (true) {
                dst.clear();
                int n = ep.read(dst);
                assertTrue(n >= 0, "the stream never ends by itself");
                if (n == 0) {
                    Await.until(ep.waiterQueue(), Events.IN | Events.ERR | Events.HUP,
                            () -> ep.readiness(Events.IN | Events.ERR | Events.HUP) != 0, WAIT, "data");
                } else if (!counted) {
                    flowing.countDown();
                    counted = true;
                }
            }
        } catch (IOException e) {
            return e;
        }
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Void sendAll(TcpEndpoint ep, byte[] data) throws Exception {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            if (ep.write(src) == 0) {
                Await.until(ep.waiterQueue(), Events.OUT | Events.ERR | Events.HUP,
                        () -> ep.readiness(Events.OUT | Events.ERR | Events.HUP) != 0, WAIT, "room in the send buffer");
            }
        }
        ep.shutdownOutput();
        return null;
    }

    private static byte[] receiveAll(TcpEndpoint ep, int expected) throws Exception {
        byte[] received = new byte[expected];
        ByteBuffer dst = ByteBuffer.wrap(received);
        ByteBuffer overflow = ByteBuffer.allocate(1);
        while (dst.hasRemaining()) {
            int n = ep.read(dst);
            assertTrue(n >= 0, "end of stream after " + dst.position() + " of " + expected + " bytes");
            if (n == 0) {
                Await.until(ep.waiterQueue(), Events.IN | Events.ERR | Events.HUP,
                        () -> ep.readiness(Events.IN | Events.ERR | Events.HUP) != 0, WAIT, "data");
            }
        }
        Await.until(ep.waiterQueue(), Events.IN | Events.HUP, () -> ep.readiness(Events.IN) != 0, WAIT, "end of stream");
        assertEquals(-1, ep.read(overflow), "nothing beyond the bytes sent");
        return received;
    }

    /** Records how deeply deliveries nest on a thread, and which threads deliver. */
    private static final class DepthCountingLink extends WrappingLink {
        final AtomicInteger deepest = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

        DepthCountingLink(LinkEndpoint inner) {
            super(inner);
        }

        @Override
        public void attach(NetworkDispatcher dispatcher) {
            inner.attach(frame -> {
                int[] d = depth.get();
                d[0]++;
                deepest.accumulateAndGet(d[0], Math::max);
                threads.add(Thread.currentThread());
                try {
                    dispatcher.deliverNetworkPacket(frame);
                } finally {
                    d[0]--;
                }
            });
        }
    }

    /** Drops frames carrying TCP data (longer than any bare ACK) while {@code whileTrue} holds and dropping is on. */
    private static final class DataDroppingLink extends WrappingLink {
        /** Ethernet, IPv4 and TCP headers with timestamps and SACK blocks, and no payload, fit in this. */
        private static final int LONGEST_BARE_SEGMENT = 14 + 20 + 60;
        final java.util.function.BooleanSupplier whileTrue;
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong droppedOnTimerThread = new AtomicLong();
        volatile boolean dropping;

        DataDroppingLink(LinkEndpoint inner, java.util.function.BooleanSupplier whileTrue) {
            super(inner);
            this.whileTrue = whileTrue;
        }

        @Override
        public void writeFrame(PacketBuffer frame) {
            if (dropping && frame.length() > LONGEST_BARE_SEGMENT && whileTrue.getAsBoolean()) {
                dropped.incrementAndGet();
                if (Thread.currentThread().getName().equals("jnetstack-timer")) {
                    droppedOnTimerThread.incrementAndGet();
                }
                return;
            }
            inner.writeFrame(frame);
        }
    }
}
