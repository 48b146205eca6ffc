package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.stack.Nic;

/**
 * Where a link hands received frames: in a stack, the NIC the link is attached to. Called on the
 * link's reader thread (or, for in-memory links, the sender's); ownership of {@code frame} passes
 * to the dispatcher. Implementations never throw: a bad frame is counted and dropped.
 */
@FunctionalInterface
public interface NetworkDispatcher {
    void deliverNetworkPacket(PacketBuffer frame);
}
