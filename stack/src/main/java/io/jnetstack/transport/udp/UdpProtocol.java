package io.jnetstack.transport.udp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.UdpHeader;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportEndpointId;
import io.jnetstack.stack.TransportError;
import io.jnetstack.stack.TransportProtocol;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** UDP (RFC 768): validates datagrams, finds their endpoint, and creates endpoints. */
public final class UdpProtocol implements TransportProtocol {
    public static final int NUMBER = Ipv4Header.PROTOCOL_UDP;

    private Stack stack;
    /** Endpoints that hold a port, so that a failed link can reach them. */
    private final Set<UdpEndpoint> endpoints = ConcurrentHashMap.newKeySet();

    @Override
    public int number() {
        return NUMBER;
    }

    @Override
    public void attach(Stack stack) {
        this.stack = stack;
    }

    /** A new, unbound endpoint on this protocol's stack. */
    public UdpEndpoint newEndpoint() {
        if (stack == null) {
            throw new IllegalStateException("UdpProtocol is not part of a stack yet");
        }
        return new UdpEndpoint(stack, this);
    }

    void track(UdpEndpoint endpoint) {
        endpoints.add(endpoint);
    }

    void untrack(UdpEndpoint endpoint) {
        endpoints.remove(endpoint);
    }

    @Override
    public void nicFailed(int nicId, IOException cause) {
        for (UdpEndpoint ep : endpoints) {
            ep.failIfOnNic(nicId, cause);
        }
    }

    /** The stack is closing: every endpoint's next receive or send fails (see {@link #STACK_CLOSED_MESSAGE}). */
    @Override
    public void close() {
        IOException reason = new IOException(STACK_CLOSED_MESSAGE);
        for (UdpEndpoint ep : endpoints) {
            ep.fail(reason);
        }
    }

    @Override
    public boolean handlePacket(PacketInfo info, PacketBuffer packet) {
        Counters<StackCounter> stats = stack.stats();
        stats.increment(StackCounter.UDP_RECEIVED);
        UdpHeader udp = UdpHeader.of(packet);
        if (udp == null) {
            stats.increment(StackCounter.UDP_MALFORMED);
            return true;
        }
        int length = udp.length();
        // RFC 768: a zero checksum means the sender computed none; otherwise it must verify, unless
        // the link vouches for it. Over IPv6 the checksum is mandatory and a zero one is dropped
        // (RFC 8200 §8.1).
        if (udp.checksum() == 0 && info.source().isV6()) {
            stats.increment(StackCounter.UDP_CHECKSUM_ERRORS);
            return true;
        }
        if (udp.checksum() != 0 && !packet.isChecksumVerified()) {
            int sum = Checksum.pseudoHeader(info.source(), info.destination(), NUMBER, length);
            if (!Checksum.verifies(Checksum.add(sum, packet, 0, length))) {
                stats.increment(StackCounter.UDP_CHECKSUM_ERRORS);
                return true;
            }
        }
        IpAddress destination = info.destination();
        if (destination.isMulticast() || destination.equals(IpAddress.IPV4_BROADCAST) || stack.nic(info.nicId()).isBroadcast(destination)) {
            packet.truncate(length);
            deliverToAll(info, packet);
            return true; // RFC 1122 §3.2.2: never an ICMP error about multicast or broadcast
        }
        TransportEndpointId id = new TransportEndpointId(info.destination(), udp.destinationPort(), info.source(),
                udp.sourcePort());
        if (!(stack.demuxer().find(NUMBER, id) instanceof UdpEndpoint endpoint)) {
            stats.increment(StackCounter.UDP_NO_PORT);
            return false; // the network layer answers with ICMP port unreachable
        }
        packet.truncate(length);
        endpoint.handlePacket(id, info, packet);
        return true;
    }

    /**
     * Gives a datagram to a group or a broadcast address (the UDP header in front) to every socket
     * that takes it (see {@link UdpEndpoint#takesMulticast} and {@link UdpEndpoint#takesBroadcast}),
     * as Linux's __udp4_lib_mcast_deliver; a datagram nobody takes is counted as one to a port
     * nobody holds.
     */
    void deliverToAll(PacketInfo info, PacketBuffer packet) {
        UdpHeader udp = UdpHeader.of(packet);
        IpAddress destination = info.destination();
        TransportEndpointId id = new TransportEndpointId(destination, udp.destinationPort(), info.source(),
                udp.sourcePort());
        boolean multicast = destination.isMulticast();
        boolean taken = false;
        for (UdpEndpoint ep : endpoints) {
            if (multicast ? ep.takesMulticast(destination, udp.destinationPort(), info.nicId(), info.source(), udp.sourcePort())
                    : ep.takesBroadcast(destination, udp.destinationPort(), info.source(), udp.sourcePort())) {
                ep.handlePacket(id, info, packet);
                taken = true;
            }
        }
        if (!taken) {
            stack.stats().increment(StackCounter.UDP_NO_PORT);
        }
    }

    /** {@code leaving} gave up {@code id}: another socket sharing that port (SO_REUSEADDR) takes its unicast. */
    void handOver(TransportEndpointId id, UdpEndpoint leaving) {
        for (UdpEndpoint ep : endpoints) {
            if (ep != leaving && ep.holds(id)) {
                ep.takeOver(id);
                return;
            }
        }
    }

    @Override
    public void handleError(TransportError error, IpAddress quotedSource, IpAddress quotedDestination,
                            PacketBuffer quoted) {
        UdpHeader udp = UdpHeader.ofQuoted(quoted);
        if (udp == null) {
            return;
        }
        if (stack.demuxer().find(NUMBER, quotedSource, udp.sourcePort(), quotedDestination,
                udp.destinationPort()) instanceof UdpEndpoint endpoint) {
            endpoint.handleError(error);
        }
    }
}
