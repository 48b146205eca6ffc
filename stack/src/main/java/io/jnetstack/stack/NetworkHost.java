package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.Clock;
import java.net.NoRouteToHostException;
import java.util.List;

/** What a {@link NetworkProtocol} needs from the stack it runs on. */
public interface NetworkHost {
    Clock clock();

    /** The stack's counters below the transport layer. */
    Counters<StackCounter> stats();

    /** True if {@code address} is one of the stack's own (see {@link Stack#isLocalAddress}). */
    boolean isLocalAddress(IpAddress address);

    /** The transport protocol with IP protocol number {@code number}, or null. */
    TransportProtocol transport(int number);

    /** A route to {@code remote} (see {@link Stack#findRoute}), for replies and ICMP errors. */
    Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException;

    /** The stack's routes (IPv6 looks for a default route before taking one a router advertises). */
    List<RouteEntry> routes();

    /** Adds a route, as {@link Stack#addRoute} does. */
    void addRoute(RouteEntry route);
}
