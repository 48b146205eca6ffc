package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;

/**
 * A network protocol registered with a {@link Stack} through {@link Stack.Builder#network}: a NIC
 * hands it every received frame whose EtherType is {@link #etherType()}. It sees the stack only
 * through a {@link NetworkHost}. One that carries transport packets is an {@link InternetProtocol};
 * one that finds neighbours' link addresses for the NICs' caches is a {@link LinkAddressResolver}.
 */
public interface NetworkProtocol {
    /** The EtherType of its packets (IEEE 802: 0x0800 IPv4, 0x0806 ARP, 0x86DD IPv6). */
    int etherType();

    /** Called once when the stack is built, before any packet arrives. */
    void attach(NetworkHost host);

    /**
     * A packet received on {@code nic}, starting at this protocol's header (the link header is
     * gone). {@code linkUnicast} says whether its frame was addressed to this NIC's link address
     * alone (false on links without link headers). Bad packets are counted and dropped.
     */
    void handlePacket(Nic nic, PacketBuffer packet, boolean linkUnicast);

    /** {@code nic} was created and enabled: a protocol may configure it (IPv6 gives an Ethernet NIC its link-local address). */
    default void nicCreated(Nic nic) {
    }

    /** {@code subnet} was assigned to {@code nic} (IPv6 checks that no other node on the link uses it). */
    default void addressAdded(Nic nic, IpSubnet subnet) {
    }

    /**
     * The first socket joined multicast {@code group} of this protocol's family on {@code nic}
     * ({@code joined}), or the last one left it: a protocol that reports memberships to routers
     * (IGMP, RFC 3376) says so. Called on the application's thread.
     */
    default void groupMembershipChanged(Nic nic, IpAddress group, boolean joined) {
    }
}
