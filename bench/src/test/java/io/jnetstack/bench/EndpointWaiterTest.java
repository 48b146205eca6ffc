package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EndpointWaiterTest {
    private final WaiterQueue queue = new WaiterQueue();
    private final AtomicInteger ready = new AtomicInteger();

    private EndpointWaiter waiter(long deadlineNanos) {
        return new EndpointWaiter(queue, Events.IN, mask -> ready.get() & mask, deadlineNanos);
    }

    @Test
    void aBlockedWaitEndsWhenTheQueueTellsOfTheEvent() throws Exception {
        try (EndpointWaiter w = waiter(System.nanoTime() + TimeUnit.SECONDS.toNanos(20))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    w.await(Events.IN);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < giveUp) {
                Thread.onSpinWait(); // until the waiter is parked, so the wake-up is what ends its wait
            }
            assertEquals(Thread.State.TIMED_WAITING, t.getState(), "the waiter blocks while nothing is ready");
            ready.set(Events.IN);
            queue.notify(Events.IN);
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), "the event woke the waiter");
            assertNull(failure.get());
        }
    }

    @Test
    void aReadyEndpointIsNotWaitedFor() throws IOException {
        ready.set(Events.IN);
        try (EndpointWaiter w = waiter(System.nanoTime() - 1)) {
            w.await(Events.IN); // past the deadline, but nothing to wait for
        }
    }

    @Test
    void aWaitPastTheDeadlineFails() {
        try (EndpointWaiter w = waiter(System.nanoTime() - 1)) {
            IOException e = assertThrows(IOException.class, () -> w.await(Events.IN));
            assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        }
    }
}
