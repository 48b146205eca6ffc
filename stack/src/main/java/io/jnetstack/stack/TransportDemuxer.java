package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the transport endpoint for an arriving packet. Lookup order, most specific first:
 * the exact 4-tuple (a connected endpoint), then the endpoint bound to the local address and port,
 * then the one bound to the wildcard address and that port (a listener or an unconnected socket).
 */
public final class TransportDemuxer {
    private record Key(int protocol, TransportEndpointId id) {
    }

    private final ConcurrentHashMap<Key, TransportEndpoint> endpoints = new ConcurrentHashMap<>();

    /**
     * Registers {@code endpoint} under {@code id}.
     *
     * @throws BindException "Address already in use" if another endpoint holds the same id
     */
    public void register(int protocol, TransportEndpointId id, TransportEndpoint endpoint) throws BindException {
        if (endpoints.putIfAbsent(new Key(protocol, id), endpoint) != null) {
            throw new BindException("Address already in use");
        }
    }

    /**
     * Registers {@code endpoint} under {@code id} in place of the one there, if any: of sockets
     * sharing a port (SO_REUSEADDR, which the port manager checked), the latest bound gets its
     * unicast datagrams, as on Linux.
     */
    public void replace(int protocol, TransportEndpointId id, TransportEndpoint endpoint) {
        endpoints.put(new Key(protocol, id), endpoint);
    }

    /** Removes {@code endpoint} from {@code id}, if it is the one registered there. */
    public void unregister(int protocol, TransportEndpointId id, TransportEndpoint endpoint) {
        endpoints.remove(new Key(protocol, id), endpoint);
    }

    /** The endpoint for a packet from {@code remote:remotePort} to {@code local:localPort}, or null. */
    public TransportEndpoint find(int protocol, IpAddress local, int localPort, IpAddress remote, int remotePort) {
        return find(protocol, new TransportEndpointId(local, localPort, remote, remotePort));
    }

    /** The endpoint for a packet whose 4-tuple, seen from this host, is {@code packetId}, or null. */
    public TransportEndpoint find(int protocol, TransportEndpointId packetId) {
        TransportEndpoint ep = endpoints.get(new Key(protocol, packetId));
        if (ep != null) {
            return ep;
        }
        IpAddress local = packetId.localAddress();
        int localPort = packetId.localPort();
        ep = endpoints.get(new Key(protocol, TransportEndpointId.bound(local, localPort)));
        if (ep != null) {
            return ep;
        }
        IpAddress any = local.isV4() ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY;
        return endpoints.get(new Key(protocol, TransportEndpointId.bound(any, localPort)));
    }

    /** Number of registered endpoints (all protocols). */
    public int size() {
        return endpoints.size();
    }
}
