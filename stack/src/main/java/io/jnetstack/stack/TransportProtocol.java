package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A transport protocol registered with a {@link Stack} (UDP, TCP). The network layer hands it every
 * packet with its protocol number; it validates the header, finds the endpoint through the
 * {@link TransportDemuxer}, and answers packets that have none.
 */
public interface TransportProtocol {
    /**
     * What the error says that ends an open endpoint when its stack closes: ECONNABORTED's text, as
     * the JDK reports a socket the kernel aborted under the application (Linux's tcp_abort).
     */
    String STACK_CLOSED_MESSAGE = "Software caused connection abort: the jnetstack stack was closed";

    /** IP protocol number (RFC 790: 6 for TCP, 17 for UDP). */
    int number();

    /** Called once when the stack is built, before any packet arrives. */
    void attach(Stack stack);

    /**
     * A packet whose IP header has been stripped ({@code packet} starts at the transport header).
     * Validation failures are counted and the packet dropped; never throws.
     *
     * @return true if the protocol took the packet (delivered, answered, or dropped as invalid);
     *     false if no endpoint wants it and the protocol leaves the answer to the network layer
     *     (UDP: ICMP port unreachable). When returning false the protocol must not have consumed
     *     or altered the packet, so the network layer can quote it.
     */
    boolean handlePacket(PacketInfo info, PacketBuffer packet);

    /**
     * An ICMP error whose quoted packet was of this protocol: {@code quoted} starts at the quoted
     * transport header (at least 8 bytes). Routes it to the endpoint that sent the packet.
     */
    void handleError(TransportError error, IpAddress quotedSource, IpAddress quotedDestination, PacketBuffer quoted);

    /** The protocol's own counters by name (for JMX and logs); empty if it keeps none. */
    default Map<String, Long> statistics() {
        return Map.of();
    }

    /**
     * A snapshot of each of the protocol's open sockets, each taken consistently (see
     * {@link ConnectionSnapshot}); empty if the protocol keeps no connections. Not to be called
     * from a stack thread, which may have to answer it.
     */
    default List<ConnectionSnapshot> connections() {
        return List.of();
    }

    /**
     * NIC {@code nicId} lost its link for good: endpoints whose routes leave through it end with
     * {@code cause}, which their next read or write throws.
     */
    default void nicFailed(int nicId, IOException cause) {
    }

    /**
     * A link ended a batch of frames it delivered marked {@link PacketBuffer#isBatchEndFollowing()}:
     * what the protocol held back for that (an ACK for several segments) goes now.
     */
    default void linkBatchEnded() {
    }

    /**
     * Closes every endpoint (the stack is shutting down); those the application holds open fail
     * with an {@code IOException} saying {@link #STACK_CLOSED_MESSAGE}.
     */
    default void close() {
    }
}
