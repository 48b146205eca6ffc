package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the transport endpoint for an arriving packet. Lookup order, most specific first:
 * the exact 4-tuple (a connected endpoint), then the endpoint bound to the local address and port,
 * then the one bound to the wildcard address and that port (a listener or an unconnected socket),
 * and for IPv4 last the one bound to the IPv6 wildcard, which is dual-stack.
 */
public final class TransportDemuxer {
    private record Key(int protocol, TransportEndpointId id) {
    }

    private final ConcurrentHashMap<Key, TransportEndpoint> endpoints = new ConcurrentHashMap<>();
    /** How many unconnected IPv4 endpoints each (protocol, port) has, which the IPv6 wildcard would take from. */
    private final ConcurrentHashMap<Key, Integer> unconnectedIpv4 = new ConcurrentHashMap<>();

    /**
     * Registers {@code endpoint} under {@code id}.
     *
     * @throws BindException "Address already in use" if another endpoint holds the same id
     */
    public void register(int protocol, TransportEndpointId id, TransportEndpoint endpoint) throws BindException {
        if ((id.remoteAddress() == null && isTakenByTheOtherFamily(protocol, id))
                || endpoints.putIfAbsent(new Key(protocol, id), endpoint) != null) {
            throw new BindException("Address already in use");
        }
        if (isUnconnectedIpv4(id)) {
            unconnectedIpv4.merge(portKey(protocol, id.localPort()), 1, Integer::sum);
        }
    }

    /**
     * True if an unconnected endpoint would share its port with one of the other family that
     * receives its packets too: IPv4 beside the dual-stack IPv6 wildcard, or the IPv6 wildcard
     * beside any unconnected IPv4 endpoint (Linux refuses these binds even with SO_REUSEADDR on
     * both, as listeners always ask).
     */
    private boolean isTakenByTheOtherFamily(int protocol, TransportEndpointId id) {
        IpAddress local = id.localAddress();
        if (local.isV4()) {
            return endpoints.containsKey(new Key(protocol, TransportEndpointId.bound(IpAddress.IPV6_ANY, id.localPort())));
        }
        return local.equals(IpAddress.IPV6_ANY) && unconnectedIpv4.containsKey(portKey(protocol, id.localPort()));
    }

    private static boolean isUnconnectedIpv4(TransportEndpointId id) {
        return id.remoteAddress() == null && id.localAddress().isV4();
    }

    /** The key that stands for every unconnected endpoint on {@code port}, in {@link #unconnectedIpv4}. */
    private static Key portKey(int protocol, int port) {
        return new Key(protocol, TransportEndpointId.bound(IpAddress.IPV4_ANY, port));
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
        if (endpoints.remove(new Key(protocol, id), endpoint) && isUnconnectedIpv4(id)) {
            unconnectedIpv4.computeIfPresent(portKey(protocol, id.localPort()), (k, n) -> n == 1 ? null : n - 1);
        }
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
        ep = endpoints.get(new Key(protocol, TransportEndpointId.bound(any, localPort)));
        if (ep != null || !local.isV4()) {
            return ep;
        }
        // An endpoint bound to the IPv6 wildcard is dual-stack and takes IPv4 too (Linux's bindv6only=0).
        return endpoints.get(new Key(protocol, TransportEndpointId.bound(IpAddress.IPV6_ANY, localPort)));
    }

    /** Calls {@code action} with every endpoint registered for {@code protocol}, as the table holds them while it runs. */
    public void forEach(int protocol, Consumer<TransportEndpoint> action) {
        endpoints.forEach((key, endpoint) -> {
            if (key.protocol() == protocol) {
                action.accept(endpoint);
            }
        });
    }

    /** Number of registered endpoints (all protocols). */
    public int size() {
        return endpoints.size();
    }
}
