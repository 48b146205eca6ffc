package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;

/**
 * Identifies a transport endpoint as the demuxer sees it. A listener or an unconnected endpoint has
 * {@code remoteAddress == null} and {@code remotePort == 0}; a wildcard-bound one has an
 * unspecified {@code localAddress}.
 */
public record TransportEndpointId(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
    /** The id of an endpoint bound to {@code local:port} and not connected. */
    public static TransportEndpointId bound(IpAddress local, int port) {
        return new TransportEndpointId(local, port, null, 0);
    }
}
