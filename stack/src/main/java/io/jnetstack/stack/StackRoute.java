package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Header;

/** A route found by {@link Stack#findRoute}: IPv4 out of one NIC towards one next hop. */
final class StackRoute implements Route {
    private final Stack stack;
    private final Nic nic;
    private final IpAddress local;
    private final IpAddress remote;
    private final IpAddress nextHop;
    private final int localInt;
    private final int remoteInt;

    StackRoute(Stack stack, Nic nic, IpAddress local, IpAddress remote, IpAddress nextHop) {
        this.stack = stack;
        this.nic = nic;
        this.local = local;
        this.remote = remote;
        this.nextHop = nextHop;
        this.localInt = local.toInt();
        this.remoteInt = remote.toInt();
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

    /** The MTU's room, but no more than an IPv4 total length can describe (loopback's MTU is 65536). */
    @Override
    public int maxTransportPacket() {
        return Math.min(nic.link().mtu(), Ipv4Header.MAX_TOTAL_LENGTH) - Ipv4Header.MIN_LENGTH;
    }

    @Override
    public int maxHeaderLength() {
        return Ipv4Header.MIN_LENGTH + nic.linkHeaderLength();
    }

    @Override
    public int pseudoHeaderChecksum(int protocol, int length) {
        return Checksum.ipv4PseudoHeader(localInt, remoteInt, protocol, length);
    }

    @Override
    public int ttl() {
        return stack.ttl();
    }

    @Override
    public boolean isLocal() {
        return nic.isLoopback();
    }

    @Override
    public void writePacket(int protocol, PacketBuffer packet, int ttl, boolean dontFragment) {
        stack.ipv4().send(nic, localInt, remoteInt, nextHop, protocol, packet, ttl, dontFragment);
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

    /** Without neighbour resolution nothing holds the packet, so the link alone decides. */
    @Override
    public boolean releasesSlicesOnWrite() {
        return nic.neighbors() == null && nic.link().releasesSlicesOnWrite();
    }

    @Override
    public String toString() {
        return "Route[" + local + " -> " + remote + " via " + nextHop + " on " + nic.name() + "]";
    }
}
