package io.jnetstack.link;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.buffer.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryMode#inline()}: frames are delivered on the writing thread, and a frame written
 * while that thread delivers (a reply) waits until the delivery returns instead of recursing.
 */
class InlineDeliveryTest {
    private static final int EXCHANGES = 10_000;

    /** Answers each frame with the next one until {@code limit} have arrived; records nesting and threads. */
    private static final class Replier implements NetworkDispatcher {
        final LinkEndpoint replyOn;
        final int limit;
        final List<Integer> received = new ArrayList<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        /** Dispatches under way on this thread, across every replier sharing the counter. */
        final int[] depth;
        int deepest;

        Replier(LinkEndpoint replyOn, int limit, int[] depth) {
            this.replyOn = replyOn;
            this.limit = limit;
            this.depth = depth;
        }

        @Override
        public void deliverNetworkPacket(PacketBuffer frame) {
            depth[0]++;
            deepest = Math.max(deepest, depth[0]);
            threads.add(Thread.currentThread());
            int n = frame.toByteArray()[0] & 0xff;
            received.add(n);
            if (received.size() < limit) {
                replyOn.writeFrame(frame(40, n + 1));
            }
            depth[0]--;
        }
    }

    @Test
    void loopbackReplyWrittenDuringDeliveryIsDeliveredAfterItNotWithinIt() {
        int[] depth = new int[1];
        try (LoopbackLink link = new LoopbackLink(1500, DeliveryMode.inline())) {
            Replier echo = new Replier(link, EXCHANGES, depth);
            link.attach(echo);

            link.writeFrame(frame(40, 0));

            assertEquals(EXCHANGES, echo.received.size(), "every reply was delivered before the first write returned");
            assertEquals(1, echo.deepest, "no delivery ran inside another");
            assertEquals(Set.of(Thread.currentThread()), echo.threads);
            for (int i = 0; i < EXCHANGES; i++) {
                assertEquals(i & 0xff, echo.received.get(i));
            }
            assertEquals(EXCHANGES, link.stats().delivered().frames());
        }
    }

    @Test
    void pipePingPongStaysOneDeliveryDeepOnTheWritersThread() {
        int[] depth = new int[1];
        try (PipeLink.Pair pipe = PipeLink.pair(1500, DeliveryMode.inline())) {
            Replier atA = new Replier(pipe.a(), EXCHANGES, depth);
            Replier atB = new Replier(pipe.b(), EXCHANGES, depth);
            pipe.a().attach(atA);
            pipe.b().attach(atB);

            pipe.a().writeFrame(frame(40, 0));

            assertEquals(EXCHANGES, atB.received.size());
            assertEquals(EXCHANGES - 1, atA.received.size(), "B's last answer is its limit's; A stops there");
            assertEquals(1, Math.max(atA.deepest, atB.deepest), "A's dispatch never ran inside B's, nor B's inside A's");
            assertEquals(Set.of(Thread.currentThread()), atB.threads);
        }
    }

    @Test
    void framesHeldBackBeyondTheBacklogAreDroppedAndCounted() {
        try (LoopbackLink link = new LoopbackLink(1500, DeliveryMode.inline())) {
            int[] delivered = new int[1];
            int burst = DeliveryMode.DEFAULT_BACKLOG + 5;
            link.attach(frame -> {
                if (delivered[0]++ == 0) {
                    for (int i = 0; i < burst; i++) {
                        link.writeFrame(frame(40, 1)); // all held back: this thread is delivering
                    }
                }
            });

            link.writeFrame(frame(40, 0));

            assertEquals(1 + DeliveryMode.DEFAULT_BACKLOG, delivered[0]);
            assertEquals(5, link.stats().dropped().frames());
        }
    }
}
