package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import java.io.IOException;

/**
 * Where a link hands received frames: in a stack, the NIC the link is attached to. Called on the
 * link's reader thread (or, for in-memory links, the sender's); ownership of {@code frame} passes
 * to the dispatcher. Implementations never throw: a bad frame is counted and dropped.
 */
@FunctionalInterface
public interface NetworkDispatcher {
    void deliverNetworkPacket(PacketBuffer frame);

    /**
     * The link delivered a batch of frames read in one go, each marked
     * {@link PacketBuffer#markBatchEndFollows()}, and this is its end: a NIC lets its transports
     * send what they held back for it, such as one ACK for several segments. Never throws.
     */
    default void batchEnded() {
    }

    /**
     * The link's own thread hit an unexpected Throwable outside {@link #deliverNetworkPacket} (an
     * {@link OutOfMemoryError} allocating a frame, say), dropped what it was doing and goes on.
     * A NIC counts and logs it for its stack; never throws.
     */
    default void linkThreadFailed(Throwable cause) {
    }

    /**
     * The link can carry no more frames (its device failed) and its reader has stopped; called once,
     * with {@code cause} naming the device and the error. A NIC fails the connections that use it.
     */
    default void linkFailed(IOException cause) {
    }
}
