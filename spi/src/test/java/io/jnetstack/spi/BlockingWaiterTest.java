package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A channel direction's reusable blocking waiter: woken by its queue, joined once, nothing allocated per wait. */
@Timeout(60)
class BlockingWaiterTest {
    private final WaiterQueue queue = new WaiterQueue();
    private final BlockingWaiter waiter = new BlockingWaiter(queue, Events.IN);
    private final OpenFlag channel = new OpenFlag();

    @Test
    void aWaitThatParksJoinsTheQueueOnceAndAllocatesNothing() {
        NotifiesOnSecondTry attempt = new NotifiesOnSecondTry(queue);
        double bytesPerWait = ThreadAllocation.averageBytesPerStep(20_000, i -> {
            attempt.tries = 0;
            try {
                assertTrue(waiter.await(channel, attempt));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertEquals(3, attempt.tries, "tried, parked after the second try, woken by the queue, tried again");
        });
        assertTrue(bytesPerWait < 1, "a wait allocates nothing, got " + bytesPerWait + " bytes per wait");
        assertEquals(1, queue.size(), "the waiter stays on its queue between waits");
    }

    @Test
    void anEventWakesAThreadParkedOnTheWaiter() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return waiter.await(channel, ready::get);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Notified repeatedly until the waiter returns: the test cannot know when it has parked.
        for (int i = 0; i < 100_000 && !waited.isDone(); i++) {
            ready.set(true);
            queue.notify(Events.IN);
            Thread.onSpinWait();
        }
        assertTrue(waited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void closingTheChannelEndsTheWaitUndone() throws Exception {
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return waiter.await(channel, () -> false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        channel.open = false;
        for (int i = 0; i < 100_000 && !waited.isDone(); i++) {
            queue.notify(Events.HUP); // as a channel's close notifies its endpoint's queue
            Thread.onSpinWait();
        }
        assertFalse(waited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aTimedWaitThatNothingEndsThrowsTheTimeoutMessage() {
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> waiter.await(TimeUnit.MILLISECONDS.toNanos(1), "Read timed out", channel, () -> false));
        assertEquals("Read timed out", e.getMessage());
    }

    @Test
    void aWaiterUsedOnceLeavesItsQueue() throws IOException {
        NotifiesOnSecondTry attempt = new NotifiesOnSecondTry(queue);
        assertTrue(waiter.await(channel, attempt));
        assertEquals(1, queue.size());
        waiter.leave();
        assertEquals(0, queue.size());
    }

    /** Would block until its second try, which announces the event that makes the third succeed. */
    private static final class NotifiesOnSecondTry implements BlockingWaiter.Attempt {
        private final WaiterQueue queue;
        int tries;

        NotifiesOnSecondTry(WaiterQueue queue) {
            this.queue = queue;
        }

        @Override
        public boolean tryOnce() {
            tries++;
            if (tries == 2) {
                queue.notify(Events.IN); // this thread is the waiter: it is unparked before it parks
            }
            return tries == 3;
        }
    }

    private static final class OpenFlag implements Channel {
        volatile boolean open = true;

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
