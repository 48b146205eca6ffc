package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One direction of an in-memory link: carries frames written on a sender to a receiver's
 * dispatcher as {@link DeliveryMode} says, and counts each frame on the sender's stats exactly
 * once, as delivered or dropped.
 */
final class FrameDeliverer {
    private static final System.Logger LOG = System.getLogger(FrameDeliverer.class.getName());

    private final InMemoryLink receiver;
    private final LinkStats senderStats;
    /** Null when delivering {@linkplain DeliveryMode#inline() inline}. */
    private final Executor executor;
    /** Non-null when this deliverer made its own thread, which it must then stop on close. */
    private final ThreadPoolExecutor ownThread;
    private volatile boolean closed;
    private final AtomicBoolean dispatcherFailureLogged = new AtomicBoolean();

    FrameDeliverer(DeliveryMode mode, String threadName, InMemoryLink receiver, LinkStats senderStats) {
        this.receiver = receiver;
        this.senderStats = senderStats;
        if (mode.isInline()) {
            this.ownThread = null;
            this.executor = null;
        } else if (mode.executor() != null) {
            this.ownThread = null;
            this.executor = mode.executor();
        } else {
            // One thread keeps frames in order; the bounded queue rejects instead of blocking the writer.
            this.ownThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.NANOSECONDS,
                    new ArrayBlockingQueue<>(mode.backlog()), r -> {
                        Thread t = new Thread(r, threadName);
                        t.setDaemon(true);
                        return t;
                    });
            this.executor = ownThread;
        }
    }

    /** Queues {@code frame} (owned by the receiver from now on) for delivery, or drops it. */
    void submit(PacketBuffer frame) {
        if (closed) {
            drop(frame);
            return;
        }
        if (executor == null) {
            DeliveryTrampoline thread = DeliveryTrampoline.current();
            if (!thread.isDelivering()) {
                thread.deliverNow(this, frame);
            } else if (!thread.holdBack(this, frame)) {
                drop(frame);
            }
            return;
        }
        Delivery delivery = new Delivery(frame);
        try {
            executor.execute(delivery);
        } catch (RejectedExecutionException queueFullOrShutDown) {
            drop(frame);
        }
    }

    /** Hands {@code frame}, untouched since it was submitted, to the receiver's dispatcher, or drops it. */
    void deliver(PacketBuffer frame) {
        NetworkDispatcher dispatcher = closed ? null : receiver.activeDispatcher();
        if (dispatcher == null) {
            drop(frame);
            return;
        }
        senderStats.delivered().record(frame.length()); // read first: the dispatcher may consume the frame
        try {
            dispatcher.deliverNetworkPacket(frame);
        } catch (Throwable e) {
            // Dispatchers must not throw; if one does (even out of heap), the delivery thread (or
            // the writer) drops the frame and goes on. Logged once: it may happen with every frame.
            if (dispatcherFailureLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "dispatcher threw while receiving a frame"
                        + " (later failures are not logged)", e);
            }
        }
    }

    private void drop(PacketBuffer frame) {
        senderStats.dropped().record(frame.length());
    }

    /** Stops delivering: frames still queued are dropped and counted; a dispatch already running finishes. */
    void close() {
        closed = true;
        if (ownThread != null) {
            ownThread.shutdown();
            List<Runnable> queued = new ArrayList<>();
            ownThread.getQueue().drainTo(queued);
            for (Runnable r : queued) {
                drop(((Delivery) r).frame);
            }
        }
    }

    /** A frame on its way to the delivery executor. */
    private final class Delivery implements Runnable {
        private final PacketBuffer frame;

        Delivery(PacketBuffer frame) {
            this.frame = frame;
        }

        @Override
        public void run() {
            deliver(frame);
        }
    }
}
