package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;

/**
 * A network protocol that finds neighbours' link addresses for one address family (ARP for IPv4).
 * A NIC's {@link LinkAddressCache} sends its requests through the resolver of the target's family.
 */
public interface LinkAddressResolver {
    /** Length of the addresses it resolves in bytes: 4 for IPv4, 16 for IPv6. */
    int addressLength();

    /**
     * Asks on {@code nic} for {@code target}'s link address: to every host on the link when
     * {@code probedAddress} is null, else unicast to {@code probedAddress} (a reachability probe).
     */
    void sendRequest(Nic nic, IpAddress target, LinkAddress probedAddress);
}
