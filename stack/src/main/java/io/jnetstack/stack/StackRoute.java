package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;

/** A route found by {@link Stack#findRoute}: one network protocol, out of one NIC, towards one next hop. */
final class StackRoute implements Route {
    private final InternetProtocol network;
    private final Nic nic;
    private final IpAddress local;
    private final IpAddress remote;
    private final IpAddress nextHop;
    private final int ttl;

    StackRoute(InternetProtocol network, Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop, int ttl) {
        this.network = network;
        this.nic = nic;
        this.local = local;
        this.remote = remote;
        this.nextHop = nextHop;
        this.ttl = ttl;
    }

    @Override
    public IpAddress localAddress() {
        return local;
    }

    @Override
    public IpAddress remoteAddress() {
        return remote;
    }

    @Override
    public int nicId() {
        return nic.id();
    }

    /** The neighbour packets are handed to: the gateway, or the remote itself when on-link. */
    public IpAddress nextHop() {
        return nextHop;
    }

    @Override
    public int maxTransportPacket() {
        return network.maxTransportPacket(nic.link().mtu());
    }

    @Override
    public int maxSegmentedTransportPacket() {
        int gsoMaxSize = nic.link().gsoMaxSize();
        return gsoMaxSize > 0 ? network.maxTransportPacket(gsoMaxSize) : 0;
    }

    @Override
    public boolean completesChecksums() {
        return nic.link().completesChecksums();
    }

    @Override
    public int maxHeaderLength() {
        return network.headerLength() + nic.linkHeaderLength();
    }

    @Override
    public int pseudoHeaderChecksum(int protocol, int length) {
        return network.pseudoHeaderChecksum(local, remote, protocol, length);
    }

    @Override
    public int ttl() {
        return ttl;
    }

    @Override
    public boolean isLocal() {
        return nic.isLoopback();
    }

    @Override
    public void writePacket(int protocol, PacketBuffer packet, int ttl, boolean dontFragment) {
        network.send(nic, local, remote, nextHop, protocol, packet, ttl, dontFragment);
    }

    @Override
    public void confirmReachable() {
        LinkAddressCache neighbors = nic.neighbors();
        if (neighbors != null) {
            neighbors.confirm(nextHop);
        }
    }

    @Override
    public void suspectUnreachable() {
        LinkAddressCache neighbors = nic.neighbors();
        if (neighbors != null) {
            neighbors.suspect(nextHop);
        }
    }

    /** Neighbour resolution holds a copy of a packet it must wait with, so the link alone decides. */
    @Override
    public boolean releasesSlicesOnWrite() {
        return nic.link().releasesSlicesOnWrite();
    }

    @Override
    public String toString() {
        return "Route[" + local + " -> " + remote + " via " + nextHop + " on " + nic.name() + "]";
    }
}
