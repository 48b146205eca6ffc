package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.PortManager;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.SerialExecutor;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.TransportDemuxer;
import io.jnetstack.time.Clock;
import java.net.NoRouteToHostException;

/**
 * What TCP needs from the stack it runs on. {@link TcpProtocol#attach(Stack)} adapts a
 * {@link Stack}; tests give a host of their own (a capturing route, a same-thread executor), so
 * TCP can be driven segment by segment without the network layer.
 */
public interface TcpHost {
    Clock clock();

    /** A route to {@code remote}; {@code local} null or unspecified lets the stack choose the source. */
    Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException;

    TransportDemuxer demuxer();

    PortManager ports();

    boolean isLocalAddress(IpAddress address);

    /**
     * A new executor for one connection (or listener) whose 4-tuple hashes to {@code flowHash}: it
     * runs the connection's tasks one at a time and in order, and never runs one inside another
     * (see {@link SerialExecutor}).
     */
    SerialExecutor processor(int flowHash);

    static TcpHost of(Stack stack) {
        return new TcpHost() {
            @Override
            public Clock clock() {
                return stack.clock();
            }

            @Override
            public Route findRoute(int nicId, IpAddress local, IpAddress remote) throws NoRouteToHostException {
                return stack.findRoute(nicId, local, remote);
            }

            @Override
            public TransportDemuxer demuxer() {
                return stack.demuxer();
            }

            @Override
            public PortManager ports() {
                return stack.ports();
            }

            @Override
            public boolean isLocalAddress(IpAddress address) {
                return stack.isLocalAddress(address);
            }

            @Override
            public SerialExecutor processor(int flowHash) {
                return stack.connectionExecutor(flowHash);
            }
        };
    }
}
