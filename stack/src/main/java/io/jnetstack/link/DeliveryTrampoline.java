package io.jnetstack.link;

import java.util.ArrayDeque;

/**
 * What keeps {@linkplain DeliveryMode#inline() inline} delivery from recursing: per thread, whether
 * it is delivering a frame now, and the frames it wrote meanwhile (a reply, an ACK, a frame to
 * another link), which it delivers in order once the delivery under way returns. Shared by every
 * inline link, so a reply crossing to another link is held back too: a thread is inside at most
 * one dispatch at a time, however the frames bounce.
 */
final class DeliveryTrampoline {
    private static final ThreadLocal<DeliveryTrampoline> CURRENT = ThreadLocal.withInitial(DeliveryTrampoline::new);

    private final ArrayDeque<Runnable> heldBack = new ArrayDeque<>();
    private boolean delivering;

    private DeliveryTrampoline() {
    }

    static DeliveryTrampoline current() {
        return CURRENT.get();
    }

    /** True while this thread is inside a dispatch: a frame written now must be held back. */
    boolean isDelivering() {
        return delivering;
    }

    /** Holds {@code delivery} for later; false if {@link DeliveryMode#DEFAULT_BACKLOG} frames wait already. */
    boolean holdBack(Runnable delivery) {
        if (heldBack.size() >= DeliveryMode.DEFAULT_BACKLOG) {
            return false;
        }
        heldBack.add(delivery);
        return true;
    }

    /** Runs {@code delivery}, then every frame held back meanwhile, including those they cause. */
    void deliverNow(Runnable delivery) {
        delivering = true;
        try {
            Runnable next = delivery;
            while (next != null) {
                next.run();
                next = heldBack.poll();
            }
        } finally {
            delivering = false;
        }
    }
}
