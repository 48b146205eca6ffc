package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.time.Clock;
import java.net.NoRouteToHostException;

/** The {@link NetworkHost} view of a {@link Stack} its network protocols attach to. */
final class StackNetworkHost implements NetworkHost {
    private final Stack stack;

    StackNetworkHost(Stack stack) {
        this.stack = stack;
    }

    @Override
    public Clock clock() {
        return stack.clock();
    }

    @Override
    public Counters<StackCounter> stats() {
        return stack.stats();
    }

    @Override
    public boolean isLocalAddress(IpAddress address) {
        return stack.isLocalAddress(address);
    }

    @Override
    public TransportProtocol transport(int number) {
        return stack.transport(number);
    }

    @Override
    public Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException {
        return stack.findRoute(nicId, local, remote);
    }

    @Override
    public RouteTable routes() {
        return stack.routes();
    }
}
