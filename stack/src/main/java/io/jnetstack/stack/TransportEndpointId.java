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

    /**
     * Distinct for every port pair between two addresses: the record's default (a sum of the
     * fields times powers of 31) gives many 4-tuples between the same two hosts one hash, and a
     * demuxer holding a million connections over 127.0.0.1 then searches long bins.
     */
    @Override
    public int hashCode() {
        int addresses = localAddress.hashCode() * 31 + (remoteAddress == null ? 0 : remoteAddress.hashCode());
        int ports = (localPort << 16) | (remotePort & 0xffff);
        return (addresses ^ ports) * 0x9e3779b9; // odd: keeps pairs distinct, spreads them over the bits
    }
}
