package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.util.Map;

/**
 * One transport socket (a connection or a listener) as it was at one moment, for ss-like views:
 * what {@link TransportProtocol#connections()} returns and {@link Stack#connections()} collects.
 * The values are taken together, so they never mix two moments.
 */
public interface ConnectionSnapshot {
    /** The transport's short name, as ss's Netid column: {@code tcp}, {@code udp}. */
    String protocol();

    /** The protocol's state name (for TCP RFC 9293's: ESTABLISHED, TIME_WAIT, LISTEN...). */
    String state();

    IpAddress localAddress();

    int localPort();

    /** The peer's address; null for a listener. */
    IpAddress remoteAddress();

    /** The peer's port; 0 for a listener. */
    int remotePort();

    /** ss's Recv-Q: bytes received and not yet read by the application (a listener: connections awaiting accept). */
    long receiveQueueBytes();

    /** ss's Send-Q: bytes written and not yet acknowledged (a listener: its backlog). */
    long sendQueueBytes();

    /** Who opened the socket, such as the NIO channel class that wraps it; empty if unknown. */
    String owner();

    /**
     * The protocol's own values (TCP: RTT, RTO, cwnd, options...), in a stable order, each a
     * {@code Long}, {@code Integer}, {@code Boolean} or {@code String}.
     */
    Map<String, Object> details();
}
