package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
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

    /**
     * Frames held back, oldest first, each as two elements: its deliverer, then the frame; pairs
     * rather than a task object per frame, so holding one back allocates nothing.
     */
    private final ArrayDeque<Object> heldBack = new ArrayDeque<>();
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

    /** Holds {@code frame} for {@code deliverer}; false if {@link DeliveryMode#DEFAULT_BACKLOG} frames wait already. */
    boolean holdBack(FrameDeliverer deliverer, PacketBuffer frame) {
        if (heldBack.size() >= 2 * DeliveryMode.DEFAULT_BACKLOG) {
            return false;
        }
        heldBack.add(deliverer);
        heldBack.add(frame);
        return true;
    }

    /** Delivers {@code frame} through {@code deliverer}, then every frame held back meanwhile, including those they cause. */
    void deliverNow(FrameDeliverer deliverer, PacketBuffer frame) {
        delivering = true;
        try {
            deliverer.deliver(frame);
            Object next;
            while ((next = heldBack.poll()) != null) {
                ((FrameDeliverer) next).deliver((PacketBuffer) heldBack.poll());
            }
        } finally {
            delivering = false;
        }
    }
}
