package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the transport endpoint for an arriving packet. Lookup order, most specific first:
 * the exact 4-tuple (a connected endpoint), then the endpoint bound to the local address and port,
 * then the one bound to the wildcard address and that port (a listener or an unconnected socket),
 * and for IPv4 last the one bound to the IPv6 wildcard, which is dual-stack.
 */
public final class TransportDemuxer {
    /**
     * A protocol and 4-tuple, as a map key. Keys in the maps never change; a lookup re-fills its
     * thread's {@link #PROBE} instead of building a key for each packet.
     */
    private static final class Key {
        private int protocol;
        private IpAddress localAddress;
        private int localPort;
        private IpAddress remoteAddress;
        private int remotePort;
        private int hash;

        static Key of(int protocol, TransportEndpointId id) {
            return new Key().set(protocol, id.localAddress(), id.localPort(), id.remoteAddress(), id.remotePort());
        }

        Key set(int protocol, IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {
            this.protocol = protocol;
            this.localAddress = localAddress;
            this.localPort = localPort;
            this.remoteAddress = remoteAddress;
            this.remotePort = remotePort;
            int addresses = (protocol * 31 + localAddress.hashCode()) * 31
                    + (remoteAddress == null ? 0 : remoteAddress.hashCode());
            // Distinct for every port pair between two addresses: summing the ports times powers
            // of 31 gives many connections between the same two hosts one hash (long bins at a
            // million connections over 127.0.0.1). The odd multiplier spreads them over the bits.
            this.hash = (addresses ^ (localPort << 16 | (remotePort & 0xffff))) * 0x9e3779b9;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && protocol == k.protocol && localPort == k.localPort
                    && remotePort == k.remotePort && localAddress.equals(k.localAddress)
                    && Objects.equals(remoteAddress, k.remoteAddress);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Per thread: the key each lookup fills in (a lookup calls out to nothing, so none is nested in another). */
    private static final ThreadLocal<Key> PROBE = ThreadLocal.withInitial(Key::new);

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
                || endpoints.putIfAbsent(Key.of(protocol, id), endpoint) != null) {
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
            return endpoints.containsKey(Key.of(protocol, TransportEndpointId.bound(IpAddress.IPV6_ANY, id.localPort())));
        }
        return local.equals(IpAddress.IPV6_ANY) && unconnectedIpv4.containsKey(portKey(protocol, id.localPort()));
    }

    private static boolean isUnconnectedIpv4(TransportEndpointId id) {
        return id.remoteAddress() == null && id.localAddress().isV4();
    }

    /** The key that stands for every unconnected endpoint on {@code port}, in {@link #unconnectedIpv4}. */
    private static Key portKey(int protocol, int port) {
        return Key.of(protocol, TransportEndpointId.bound(IpAddress.IPV4_ANY, port));
    }

    /**
     * Registers {@code endpoint} under {@code id} in place of the one there, if any: of sockets
     * sharing a port (SO_REUSEADDR, which the port manager checked), the latest bound gets its
     * unicast datagrams, as on Linux.
     */
    public void replace(int protocol, TransportEndpointId id, TransportEndpoint endpoint) {
        endpoints.put(Key.of(protocol, id), endpoint);
    }

    /**
     * Removes {@code endpoint} from {@code id}, if it is the one registered there. The removal
     * finds the entry through the thread's {@link #PROBE}: a key is only stored by a registration,
     * so closing a connection builds none.
     */
    public void unregister(int protocol, TransportEndpointId id, TransportEndpoint endpoint) {
        Key probe = PROBE.get().set(protocol, id.localAddress(), id.localPort(), id.remoteAddress(), id.remotePort());
        if (endpoints.remove(probe, endpoint) && isUnconnectedIpv4(id)) {
            unconnectedIpv4.computeIfPresent(portKey(protocol, id.localPort()), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The endpoint for a packet from {@code remote:remotePort} to {@code local:localPort}, or null. */
    public TransportEndpoint find(int protocol, IpAddress local, int localPort, IpAddress remote, int remotePort) {
        Key key = PROBE.get();
        TransportEndpoint ep = endpoints.get(key.set(protocol, local, localPort, remote, remotePort));
        if (ep != null) {
            return ep;
        }
        ep = endpoints.get(key.set(protocol, local, localPort, null, 0));
        if (ep != null) {
            return ep;
        }
        IpAddress any = local.isV4() ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY;
        ep = endpoints.get(key.set(protocol, any, localPort, null, 0));
        if (ep != null || !local.isV4()) {
            return ep;
        }
        // An endpoint bound to the IPv6 wildcard is dual-stack and takes IPv4 too (Linux's bindv6only=0).
        return endpoints.get(key.set(protocol, IpAddress.IPV6_ANY, localPort, null, 0));
    }

    /** The endpoint for a packet whose 4-tuple, seen from this host, is {@code packetId}, or null. */
    public TransportEndpoint find(int protocol, TransportEndpointId packetId) {
        return find(protocol, packetId.localAddress(), packetId.localPort(), packetId.remoteAddress(),
                packetId.remotePort());
    }

    /** Calls {@code action} with every endpoint registered for {@code protocol}, as the table holds them while it runs. */
    public void forEach(int protocol, Consumer<TransportEndpoint> action) {
        endpoints.forEach((key, endpoint) -> {
            if (key.protocol == protocol) {
                action.accept(endpoint);
            }
        });
    }

    /** Number of registered endpoints (all protocols). */
    public int size() {
        return endpoints.size();
    }
}
