package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.Clock;
import java.net.NoRouteToHostException;

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

    /** The stack's routes (IPv6 adds and removes the default routes routers advertise). */
    RouteTable routes();
}
