package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import java.util.Collection;

/**
 * A stack's network protocols, found by EtherType (a NIC's dispatch of received frames), by
 * address family (a route's protocol, a neighbour cache's resolver) or by class. Fixed when the
 * stack is built; a lookup scans the few entries and allocates nothing.
 */
final class NetworkProtocolTable {
    private final NetworkProtocol[] protocols;

    NetworkProtocolTable(Collection<NetworkProtocol> protocols) {
        this.protocols = protocols.toArray(new NetworkProtocol[0]);
    }

    /** The protocol for frames of {@code etherType}, or null. */
    NetworkProtocol forEtherType(int etherType) {
        for (NetworkProtocol p : protocols) {
            if (p.etherType() == etherType) {
                return p;
            }
        }
        return null;
    }

    /** The protocol that carries packets to {@code address}'s family, or null. */
    InternetProtocol internetProtocolFor(IpAddress address) {
        for (NetworkProtocol p : protocols) {
            if (p instanceof InternetProtocol ip && ip.addressLength() == address.length()) {
                return ip;
            }
        }
        return null;
    }

    /** The protocol that resolves link addresses of {@code address}'s family, or null. */
    LinkAddressResolver resolverFor(IpAddress address) {
        for (NetworkProtocol p : protocols) {
            if (p instanceof LinkAddressResolver r && r.addressLength() == address.length()) {
                return r;
            }
        }
        return null;
    }

    /** The registered protocol that is a {@code type}, or null. */
    <T extends NetworkProtocol> T ofType(Class<T> type) {
        for (NetworkProtocol p : protocols) {
            if (type.isInstance(p)) {
                return type.cast(p);
            }
        }
        return null;
    }

    void nicCreated(Nic nic) {
        for (NetworkProtocol p : protocols) {
            p.nicCreated(nic);
        }
    }

    void addressAdded(Nic nic, IpSubnet subnet) {
        for (NetworkProtocol p : protocols) {
            p.addressAdded(nic, subnet);
        }
    }

    void attachAll(NetworkHost host) {
        for (NetworkProtocol p : protocols) {
            p.attach(host);
        }
    }
}
