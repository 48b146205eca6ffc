package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.testing.Await;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.waiter.Events;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link StackOutOfMemorySigtermTest} runs in its own small-heap JVM: a server on two
 * stacks joined by a pipe, with a shutdown hook that closes them, whose processor and timer threads
 * run out of heap for real. It prints {@code SERVED} once a connection carried data after that, then
 * waits to be told to stop, like a server's main thread. It ends itself after a minute at the latest.
 */
public final class OutOfMemoryServer {
    static final String SERVED = "SERVED";
    static final String HOOK_DONE = "HOOK DONE";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private OutOfMemoryServer() {
    }

    public static void main(String[] args) throws Exception {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();

        IpAddress addressA = IpAddress.parse("10.0.0.1");
        IpAddress addressB = IpAddress.parse("10.0.0.2");
        PipeLink.Pair pipe = PipeLink.pair(1500);
        TcpProtocol tcpA = new TcpProtocol();
        TcpProtocol tcpB = new TcpProtocol();
        Stack a = Stack.builder().network(NetworkProtocols.ipv4()).processors(1).transport(tcpA).build();
        Stack b = Stack.builder().network(NetworkProtocols.ipv4()).processors(1).transport(tcpB).build();
        a.createNic("a", pipe.a()).addAddress(new IpSubnet(addressA, 24));
        b.createNic("b", pipe.b()).addAddress(new IpSubnet(addressB, 24));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                a.close();
                b.close();
                System.out.println(HOOK_DONE);
            } catch (Throwable t) {
                t.printStackTrace(System.out);
            }
            System.out.flush();
        }, "close-stacks"));

        // One thread at a time: while one thread's allocations still fill the heap, the other's
        // report of its own OutOfMemoryError may find no heap either and go uncounted.
        CountDownLatch processorWentOn = new CountDownLatch(1);
        a.processor(0).execute(OutOfMemoryServer::exhaustHeap);
        a.processor(0).execute(processorWentOn::countDown);
        awaitGoingOn(processorWentOn, "the processor");
        CountDownLatch timerWentOn = new CountDownLatch(1);
        a.clock().schedule(0, OutOfMemoryServer::exhaustHeap);
        a.clock().schedule(0, timerWentOn::countDown);
        awaitGoingOn(timerWentOn, "the timer thread");

        TcpEndpoint listener = tcpB.newEndpoint();
        listener.bind(addressB, 80);
        listener.listen(1);
        TcpEndpoint client = tcpA.newEndpoint();
        client.connect(addressB, 80);
        Await.until(client.waiterQueue(), Events.OUT | Events.ERR,
                () -> client.readiness(Events.OUT | Events.ERR) != 0, STEP_TIMEOUT, "connected");
        TcpEndpoint[] server = new TcpEndpoint[1];
        Await.until(listener.waiterQueue(), Events.IN, () -> (server[0] = listener.accept()) != null, STEP_TIMEOUT,
                "accepted");
        client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        ByteBuffer in = ByteBuffer.allocate(3);
        Await.until(server[0].waiterQueue(), Events.IN, () -> readSome(server[0], in) && !in.hasRemaining(),
                STEP_TIMEOUT, "data");
        System.out.println(SERVED + " " + a.stats().get(StackCounter.TASK_FAILURES));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void awaitGoingOn(CountDownLatch wentOn, String thread) throws InterruptedException {
        if (!wentOn.await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(thread + " did not go on after running out of heap");
        }
    }

    private static boolean readSome(TcpEndpoint ep, ByteBuffer into) {
        try {
            ep.read(into);
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Allocates until the heap is gone; the allocations die with the task, as a real burst would. */
    private static void exhaustHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 16]);
        }
    }
}
