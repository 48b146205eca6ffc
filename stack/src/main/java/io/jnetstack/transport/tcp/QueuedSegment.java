package io.jnetstack.transport.tcp;

import io.jnetstack.stack.SerialExecutor;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A segment waiting on a busy connection's backlog: a copy of the delivered one (whose object the
 * receiving thread refills with its next segment), queued as its own backlog entry. Taken from and
 * given back to a small pool that the whole protocol shares, so a busy connection's backlog costs
 * no garbage in the steady state either.
 */
final class QueuedSegment extends SerialExecutor.Task {
    private final TcpSegment segment = new TcpSegment();
    private final Pool pool;
    private TcpEndpoint endpoint;

    private QueuedSegment(Pool pool) {
        this.pool = pool;
    }

    @Override
    public void run() {
        TcpEndpoint ep = endpoint;
        endpoint = null;
        try {
            ep.onSegment(segment);
        } finally {
            segment.clearPacket();
            pool.giveBack(this);
        }
    }

    /**
     * Spare queued segments, shared by every thread: each thread looks at a few slots of its own
     * first, so threads rarely meet on one slot. Bounded: a segment given back to full slots is
     * left to the collector.
     */
    static final class Pool {
        private static final int SLOTS = 64;
        /** Slots a thread tries, from its own starting slot, before making or dropping a segment. */
        private static final int PROBES = 8;
        private final AtomicReferenceArray<QueuedSegment> spares = new AtomicReferenceArray<>(SLOTS);

        /** A queued segment for {@code endpoint} holding a copy of {@code seg}. */
        QueuedSegment take(TcpEndpoint endpoint, TcpSegment seg) {
            QueuedSegment q = takeSpare();
            q.endpoint = endpoint;
            q.segment.copyFrom(seg);
            return q;
        }

        private QueuedSegment takeSpare() {
            int start = firstSlot();
            for (int k = 0; k < PROBES; k++) {
                int i = (start + k) & (SLOTS - 1);
                if (spares.get(i) != null) {
                    QueuedSegment q = spares.getAndSet(i, null);
                    if (q != null) {
                        return q;
                    }
                }
            }
            return new QueuedSegment(this);
        }

        private void giveBack(QueuedSegment q) {
            int start = firstSlot();
            for (int k = 0; k < PROBES; k++) {
                if (spares.compareAndSet((start + k) & (SLOTS - 1), null, q)) {
                    return;
                }
            }
        }

        /** Where the calling thread starts looking: threads spread over the slots by id. */
        private static int firstSlot() {
            return (int) Thread.currentThread().getId() * PROBES & (SLOTS - 1);
        }
    }
}
