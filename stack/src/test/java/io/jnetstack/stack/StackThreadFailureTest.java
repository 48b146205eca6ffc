package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * No silent death: an OutOfMemoryError (or any Throwable) in a stack thread drops that one task or
 * frame, is counted as {@link StackCounter#TASK_FAILURES}, and the same thread goes on serving.
 */
class StackThreadFailureTest {
    private static final long TIMEOUT_SECONDS = 10;

    private static Runnable throwing(Throwable t) {
        return () -> {
            throw sneaky(t);
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void processorKeepsItsThreadAfterATaskThrowsOutOfMemoryError() throws Exception {
        try (Stack stack = Stack.builder().processors(1).build()) {
            Executor processor = stack.processor(0);
            CompletableFuture<Thread> failedOn = new CompletableFuture<>();
            processor.execute(() -> {
                failedOn.complete(Thread.currentThread());
                throw new OutOfMemoryError("injected");
            });
            CompletableFuture<Thread> nextOn = new CompletableFuture<>();
            processor.execute(() -> nextOn.complete(Thread.currentThread()));

            assertSame(failedOn.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), nextOn.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "the next task runs on the same thread: none had to be created");
            assertEquals(1, stack.stats().get(StackCounter.TASK_FAILURES));
        }
    }

    @Test
    void timerCountsAFailedTaskAndRunsTheNextOne() throws Exception {
        try (Stack stack = Stack.builder().build()) {
            stack.clock().schedule(0, throwing(new OutOfMemoryError("injected")));
            stack.clock().schedule(0, throwing(new IllegalStateException("injected bug")));
            CompletableFuture<Void> next = new CompletableFuture<>();
            stack.clock().schedule(0, () -> next.complete(null));

            next.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // One timer thread runs the tasks in order, and each failure is counted before the next task starts.
            assertEquals(2, stack.stats().get(StackCounter.TASK_FAILURES));
        }
    }

    /** IP protocol 253 (RFC 3692: for experiments): its first packet throws, the rest are recorded. */
    private static final class FailingOnceProtocol implements TransportProtocol {
        final AtomicBoolean failed = new AtomicBoolean();
        final CompletableFuture<Thread> failedOn = new CompletableFuture<>();
        final BlockingQueue<Thread> deliveredOn = new LinkedBlockingQueue<>();

        @Override
        public int number() {
            return 253;
        }

        @Override
        public void attach(Stack stack) {
        }

        @Override
        public boolean handlePacket(PacketInfo info, PacketBuffer packet) {
            if (failed.compareAndSet(false, true)) {
                failedOn.complete(Thread.currentThread());
                throw new OutOfMemoryError("injected");
            }
            deliveredOn.add(Thread.currentThread());
            return true;
        }

        @Override
        public void handleError(TransportError error, IpAddress quotedSource, IpAddress quotedDestination,
                                PacketBuffer quoted) {
        }
    }

    @Test
    void linkDeliveryThreadKeepsDeliveringAfterOutOfMemoryErrorInTheStack() throws Exception {
        FailingOnceProtocol receiver = new FailingOnceProtocol();
        IpAddress a = IpAddress.parse("10.0.0.1");
        IpAddress b = IpAddress.parse("10.0.0.2");
        try (PipeLink.Pair pipe = PipeLink.pair(1500);
             Stack sender = Stack.builder().network(NetworkProtocols.ipv4()).processors(1).build();
             Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).processors(1).transport(receiver).build()) {
            sender.createNic("a", pipe.a()).addAddress(new IpSubnet(a, 24));
            stack.createNic("b", pipe.b()).addAddress(new IpSubnet(b, 24));
            Route route = sender.findRoute(0, a, b);
            for (int i = 0; i < 2; i++) {
                PacketBuffer payload = PacketBuffer.allocate(route.maxHeaderLength(), 8);
                route.writePacket(253, payload, route.ttl(), false);
            }

            Thread failedOn = receiver.failedOn.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertSame(failedOn, receiver.deliveredOn.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "the second packet arrives on the same delivery thread");
            assertEquals(1, stack.stats().get(StackCounter.TASK_FAILURES));
        }
    }
}
