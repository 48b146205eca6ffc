package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.IcmpHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportError;
import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.time.TokenBucket;
import java.net.NoRouteToHostException;

/**
 * ICMPv4 (RFC 792) for a host, part of its {@link Ipv4Protocol}: answers echo requests, reports
 * echo replies to whoever sent the request, turns received errors into {@link TransportError}s for
 * the endpoint concerned, and sends rate-limited destination-unreachable errors.
 */
public final class Icmpv4Protocol extends IcmpEcho {
    /** Linux's icmp_msgs_per_sec and icmp_msgs_burst. */
    public static final double DEFAULT_ERRORS_PER_SECOND = 1000;
    public static final int DEFAULT_ERROR_BURST = 50;
    /** The smallest path MTU a "fragmentation needed" error may set: Linux's min_pmtu (512 + 20 + 20). */
    public static final int MIN_PATH_MTU = 552;
    /** RFC 1812 §4.3.2.3: an error quotes as much of the original as fits in 576 bytes. */
    private static final int MAX_ERROR_DATAGRAM = 576;

    private final NetworkHost host;
    private final Counters<StackCounter> stats;
    private final TokenBucket errorLimiter;

    Icmpv4Protocol(NetworkHost host) {
        this.host = host;
        this.stats = host.stats();
        this.errorLimiter = new TokenBucket(host.clock(), DEFAULT_ERRORS_PER_SECOND, DEFAULT_ERROR_BURST);
    }

    @Override
    IcmpHeader header(byte[] array, int offset) {
        return new Icmpv4Header(array, offset);
    }

    @Override
    public void sendEchoRequest(Route route, int identifier, int sequence, byte[] data) {
        PacketBuffer p = echoMessage(route, Icmpv4Header.TYPE_ECHO_REQUEST, identifier, sequence, data);
        new Icmpv4Header(p.array(), p.offset()).setChecksum(Checksum.finish(Checksum.add(0, p.array(), p.offset(), p.length())));
        route.writePacket(Ipv4Header.PROTOCOL_ICMP, p, route.ttl(), false);
    }

    /** An ICMP message; {@code packet} starts at the ICMP header. */
    void handlePacket(PacketInfo info, PacketBuffer packet, boolean toBroadcast) {
        stats.increment(StackCounter.ICMP_RECEIVED);
        Icmpv4Header h = Icmpv4Header.of(packet);
        if (h == null) {
            stats.increment(StackCounter.ICMP_MALFORMED);
            return;
        }
        if (!Checksum.verifies(Checksum.add(0, packet, 0, packet.length()))) {
            stats.increment(StackCounter.ICMP_CHECKSUM_ERRORS);
            return;
        }
        switch (h.type()) {
            case Icmpv4Header.TYPE_ECHO_REQUEST -> {
                stats.increment(StackCounter.ICMP_ECHO_REQUESTS_RECEIVED);
                // Like Linux's icmp_echo_ignore_broadcasts=1 (the default): no smurf amplifier.
                if (!toBroadcast) {
                    answerEcho(info, packet, h);
                }
            }
            case Icmpv4Header.TYPE_ECHO_REPLY -> {
                stats.increment(StackCounter.ICMP_ECHO_REPLIES_RECEIVED);
                deliverEchoReply(info, packet, h);
            }
            case Icmpv4Header.TYPE_DESTINATION_UNREACHABLE, Icmpv4Header.TYPE_TIME_EXCEEDED,
                    Icmpv4Header.TYPE_PARAMETER_PROBLEM -> handleError(info, packet, h);
            default -> {
                // Timestamp, redirect, router advertisement...: a host may ignore them (RFC 1122 §3.2.2).
            }
        }
    }

    private void answerEcho(PacketInfo info, PacketBuffer packet, Icmpv4Header request) {
        Route route = routeBack(info);
        if (route == null) {
            return;
        }
        // RFC 792: the reply is the request with the type changed; reuse the bytes in place and
        // patch the checksum incrementally (RFC 1624) instead of summing the payload again.
        int code = request.code();
        request.setType(Icmpv4Header.TYPE_ECHO_REPLY);
        request.setChecksum(Checksum.update(request.checksum(),
                (Icmpv4Header.TYPE_ECHO_REQUEST << 8) | code, (Icmpv4Header.TYPE_ECHO_REPLY << 8) | code));
        stats.increment(StackCounter.ICMP_ECHO_REPLIES_SENT);
        route.writePacket(Ipv4Header.PROTOCOL_ICMP, packet, route.ttl(), false);
    }

    /** The route for answering {@code info}'s sender from the address it wrote to, or null (counted). */
    private Route routeBack(PacketInfo info) {
        try {
            return host.findRoute(0, info.destination(), info.source());
        } catch (NoRouteToHostException e) {
            stats.increment(StackCounter.IPV4_OUTGOING_DROPPED);
            return null;
        }
    }

    private void handleError(PacketInfo info, PacketBuffer packet, Icmpv4Header h) {
        stats.increment(StackCounter.ICMP_ERRORS_RECEIVED);
        TransportError.Kind kind = errorKind(h.type(), h.code());
        int mtu = h.nextHopMtu();
        if (kind == TransportError.Kind.PACKET_TOO_BIG && mtu < MIN_PATH_MTU) {
            // RFC 5927 §7: a forged error could shrink our segments to a trickle; like Linux
            // (route/min_pmtu) we take the floor instead of a next-hop MTU below it.
            stats.increment(StackCounter.ICMP_PATH_MTU_CLAMPED);
            mtu = MIN_PATH_MTU;
        }
        packet.consume(Icmpv4Header.LENGTH);
        // The quoted datagram: its IP header and at least 8 bytes of its transport header.
        Ipv4Header quoted = Ipv4Header.ofQuoted(packet);
        if (quoted == null) {
            stats.increment(StackCounter.ICMP_MALFORMED);
            return;
        }
        TransportProtocol transport = host.transport(quoted.protocol());
        if (transport == null) {
            return;
        }
        IpAddress quotedSource = IpAddress.v4(quoted.source());
        IpAddress quotedDestination = IpAddress.v4(quoted.destination());
        packet.consume(quoted.headerLength());
        transport.handleError(new TransportError(kind, info.source(), quotedDestination, mtu),
                quotedSource, quotedDestination, packet);
    }

    private static TransportError.Kind errorKind(int type, int code) {
        if (type == Icmpv4Header.TYPE_TIME_EXCEEDED) {
            return TransportError.Kind.TIME_EXCEEDED;
        }
        if (type == Icmpv4Header.TYPE_PARAMETER_PROBLEM) {
            return TransportError.Kind.PARAMETER_PROBLEM;
        }
        return switch (code) {
            case Icmpv4Header.CODE_NET_UNREACHABLE -> TransportError.Kind.NETWORK_UNREACHABLE;
            case Icmpv4Header.CODE_PROTOCOL_UNREACHABLE -> TransportError.Kind.PROTOCOL_UNREACHABLE;
            case Icmpv4Header.CODE_PORT_UNREACHABLE -> TransportError.Kind.PORT_UNREACHABLE;
            case Icmpv4Header.CODE_FRAGMENTATION_NEEDED -> TransportError.Kind.PACKET_TOO_BIG;
            default -> TransportError.Kind.HOST_UNREACHABLE;
        };
    }

    /**
     * Sends an ICMP error about {@code original} (which starts at its IPv4 header), unless RFC 1122
     * §3.2.2 forbids one or the rate limit is exhausted. The caller has already excluded datagrams
     * sent to a broadcast address and non-initial fragments.
     */
    void sendError(int type, int code, PacketInfo info, PacketBuffer original) {
        // Never about an ICMP error (RFC 1122 §3.2.2), nor to a source that is not a unique host.
        Ipv4Header originalHeader = Ipv4Header.of(original);
        if (info.source().isUnspecified() || originalHeader == null || isIcmpError(originalHeader, original)) {
            return;
        }
        if (!errorLimiter.tryAcquire()) {
            stats.increment(StackCounter.ICMP_ERRORS_RATE_LIMITED);
            return;
        }
        Route route = routeBack(info);
        if (route == null) {
            return;
        }
        int quoteLength = Math.min(original.length(), MAX_ERROR_DATAGRAM - Ipv4Header.MIN_LENGTH - Icmpv4Header.LENGTH);
        PacketBuffer p = PacketBuffer.allocate(route.maxHeaderLength(), Icmpv4Header.LENGTH + quoteLength);
        Icmpv4Header h = new Icmpv4Header(p.array(), p.offset());
        h.encode(type, code, 0);
        original.copyTo(0, p.array(), p.offset() + Icmpv4Header.LENGTH, quoteLength);
        h.setChecksum(Checksum.finish(Checksum.add(0, p.array(), p.offset(), p.length())));
        stats.increment(StackCounter.ICMP_ERRORS_SENT);
        route.writePacket(Ipv4Header.PROTOCOL_ICMP, p, route.ttl(), false);
    }

    private static boolean isIcmpError(Ipv4Header ip, PacketBuffer original) {
        if (ip.protocol() != Ipv4Header.PROTOCOL_ICMP || original.length() <= ip.headerLength()) {
            return false;
        }
        int type = original.getByte(ip.headerLength());
        return type == Icmpv4Header.TYPE_DESTINATION_UNREACHABLE || type == Icmpv4Header.TYPE_SOURCE_QUENCH
                || type == Icmpv4Header.TYPE_REDIRECT || type == Icmpv4Header.TYPE_TIME_EXCEEDED
                || type == Icmpv4Header.TYPE_PARAMETER_PROBLEM;
    }
}
