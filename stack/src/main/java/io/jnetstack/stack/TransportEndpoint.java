package io.jnetstack.stack;

import io.jnetstack.buffer.PacketBuffer;

/** The network layer's view of one transport endpoint: where its packets and errors go. */
public interface TransportEndpoint {
    /**
     * A packet for this endpoint; {@code packet} starts at the transport header and has passed the
     * transport's own length and checksum checks. Takes ownership. Must not block or throw.
     */
    void handlePacket(TransportEndpointId id, PacketInfo info, PacketBuffer packet);

    /** An ICMP error about a packet this endpoint sent. Must not block or throw. */
    void handleError(TransportError error);
}
