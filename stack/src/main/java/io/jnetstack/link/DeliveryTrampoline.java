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

    // The frames held back and the deliverer of each, in two queues side by side rather than an
    // object per frame: ArrayDeque reuses its array, so holding back allocates nothing.
    private final ArrayDeque<FrameDeliverer> heldDeliverers = new ArrayDeque<>();
    private final ArrayDeque<PacketBuffer> heldFrames = new ArrayDeque<>();
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
        if (heldFrames.size() >= DeliveryMode.DEFAULT_BACKLOG) {
            return false;
        }
        heldDeliverers.add(deliverer);
        heldFrames.add(frame);
        return true;
    }

    /** Delivers {@code frame}, then every frame held back meanwhile, including those they cause. */
    void deliverNow(FrameDeliverer deliverer, PacketBuffer frame) {
        delivering = true;
        try {
            FrameDeliverer nextDeliverer = deliverer;
            PacketBuffer next = frame;
            while (next != null) {
                nextDeliverer.deliver(next);
                nextDeliverer = heldDeliverers.poll();
                next = heldFrames.poll();
            }
        } finally {
            delivering = false;
        }
    }
}
