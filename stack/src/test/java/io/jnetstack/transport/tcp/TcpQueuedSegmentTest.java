package io.jnetstack.transport.tcp;

import static io.jnetstack.header.TcpHeader.ACK;
import static io.jnetstack.header.TcpHeader.PSH;
import static io.jnetstack.transport.tcp.TcpTestContext.REMOTE_ISN;
import static io.jnetstack.transport.tcp.TcpTestContext.bytes;
import static io.jnetstack.transport.tcp.TcpTestContext.read;
import static io.jnetstack.transport.tcp.TestSegment.mss;
import static io.jnetstack.transport.tcp.TestSegment.tcp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterEntry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A thread parses every segment it receives into one reusable segment object. A segment that
 * finds its connection busy waits on the backlog past its delivery, so it must be a copy: the
 * thread's next segment must not change what is queued.
 */
class TcpQueuedSegmentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void segmentsQueuedOnABusyConnectionKeepTheirOwnBytesWhileTheQueuingThreadParsesMore() {
        assertTimeoutPreemptively(WAIT, () -> {
            TcpTestContext ctx = new TcpTestContext();
            TcpEndpoint ep = ctx.establishActive(mss(1460));
            int rcv = REMOTE_ISN + 1;
            byte[] first = bytes(100, 1);
            byte[] second = bytes(200, 2);
            byte[] third = bytes(300, 3);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch queued = new CountDownLatch(1);
            AtomicBoolean holding = new AtomicBoolean(true);
            // The first segment's IN wakes this callback inside the connection, which holds the
            // connection busy until the test thread has queued two more segments.
            ep.waiterQueue().register(new WaiterEntry(Events.IN, events -> {
                if (holding.getAndSet(false)) {
                    inside.countDown();
                    awaitUninterruptibly(queued);
                }
            }));
            Thread deliverer = new Thread(() -> ctx.inject(tcp().flags(ACK | PSH).seq(rcv).ack(ctx.iss + 1).payload(first)));
            deliverer.start();
            assertTrue(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the first segment entered the connection");
            ctx.inject(tcp().flags(ACK | PSH).seq(rcv + first.length).ack(ctx.iss + 1).payload(second));
            ctx.inject(tcp().flags(ACK | PSH).seq(rcv + first.length + second.length).ack(ctx.iss + 1).payload(third));
            queued.countDown();
            deliverer.join();

            byte[] expected = new byte[first.length + second.length + third.length];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(second, 0, expected, first.length, second.length);
            System.arraycopy(third, 0, expected, first.length + second.length, third.length);
            assertArrayEquals(expected, read(ep, expected.length + 1));
        });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the test thread never queued its segments");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
