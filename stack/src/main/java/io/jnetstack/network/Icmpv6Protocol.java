package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.IcmpHeader;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6ExtensionHeaders;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.NetworkHost;
import io.jnetstack.stack.Nic;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Route;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.stack.TransportError;
import io.jnetstack.stack.TransportProtocol;
import io.jnetstack.time.TokenBucket;
import java.net.NoRouteToHostException;

/**
 * ICMPv6 (RFC 4443) for a host, part of its {@link Ipv6Protocol}: answers echo requests, reports echo
 * replies to whoever sent the request, turns received errors into {@link TransportError}s for the
 * endpoint concerned (a packet too big lowers the path MTU TCP uses, never below 1280), sends
 * rate-limited errors, and hands Neighbor Discovery messages to {@link NeighborDiscovery}.
 */
public final class Icmpv6Protocol extends IcmpEcho {
    /** RFC 4443 §2.4(f) asks for a limit; Linux's icmp_msgs_per_sec and icmp_msgs_burst serve both families. */
    public static final double DEFAULT_ERRORS_PER_SECOND = Icmpv4Protocol.DEFAULT_ERRORS_PER_SECOND;
    public static final int DEFAULT_ERROR_BURST = Icmpv4Protocol.DEFAULT_ERROR_BURST;
    /** RFC 4443 §2.4(c): an error carries as much of the original as fits in the minimum MTU. */
    private static final int MAX_QUOTE = Ipv6Header.MIN_MTU - Ipv6Header.LENGTH - Icmpv6Header.LENGTH;

    private final NetworkHost host;
    private final Counters<StackCounter> stats;
    private final NeighborDiscovery neighborDiscovery;
    private final TokenBucket errorLimiter;

    Icmpv6Protocol(NetworkHost host, NeighborDiscovery neighborDiscovery) {
        this.host = host;
        this.stats = host.stats();
        this.neighborDiscovery = neighborDiscovery;
        this.errorLimiter = new TokenBucket(host.clock(), DEFAULT_ERRORS_PER_SECOND, DEFAULT_ERROR_BURST);
    }

    @Override
    IcmpHeader header(byte[] array, int offset) {
        return new Icmpv6Header(array, offset);
    }

    @Override
    public void sendEchoRequest(Route route, int identifier, int sequence, byte[] data) {
        send(route, echoMessage(route, Icmpv6Header.TYPE_ECHO_REQUEST, identifier, sequence, data));
    }

    /** An ICMPv6 message received on {@code nic}; {@code packet} starts at the ICMPv6 header. */
    void handlePacket(Nic nic, PacketInfo info, PacketBuffer packet) {
        stats.increment(StackCounter.ICMPV6_RECEIVED);
        Icmpv6Header h = Icmpv6Header.of(packet);
        if (h == null) {
            stats.increment(StackCounter.ICMPV6_MALFORMED);
            return;
        }
        int length = packet.length();
        int sum = Checksum.pseudoHeader(info.source(), info.destination(), Ipv6Header.NEXT_ICMPV6, length);
        if (!Checksum.verifies(Checksum.add(sum, packet, 0, length))) {
            stats.increment(StackCounter.ICMPV6_CHECKSUM_ERRORS);
            return;
        }
        switch (h.type()) {
            case Icmpv6Header.TYPE_ECHO_REQUEST -> {
                stats.increment(StackCounter.ICMPV6_ECHO_REQUESTS_RECEIVED);
                answerEcho(info, packet, h);
            }
            case Icmpv6Header.TYPE_ECHO_REPLY -> {
                stats.increment(StackCounter.ICMPV6_ECHO_REPLIES_RECEIVED);
                deliverEchoReply(info, packet, h);
            }
            case Icmpv6Header.TYPE_DESTINATION_UNREACHABLE, Icmpv6Header.TYPE_PACKET_TOO_BIG,
                    Icmpv6Header.TYPE_TIME_EXCEEDED, Icmpv6Header.TYPE_PARAMETER_PROBLEM -> handleError(info, packet, h);
            case Icmpv6Header.TYPE_ROUTER_SOLICITATION, Icmpv6Header.TYPE_ROUTER_ADVERTISEMENT,
                    Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION, Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT,
                    Icmpv6Header.TYPE_REDIRECT -> neighborDiscovery.handle(nic, info, packet, h);
            default -> {
                // RFC 4443 §2.4(a), (b): unknown errors go up, unknown informational messages are dropped;
                // no unknown error type has an endpoint to tell.
            }
        }
    }

    /**
     * RFC 4443 §4.2: the reply carries the request's identifier, sequence and data, from the address
     * it was sent to; to a multicast request (§4.1) from one of our unicast addresses.
     */
    private void answerEcho(PacketInfo info, PacketBuffer packet, Icmpv6Header request) {
        IpAddress from = info.destination().isMulticastOrBroadcast() ? null : info.destination();
        Route route = routeBack(from, info.source());
        if (route == null) {
            return;
        }
        new Icmpv6Header(packet.array(), packet.offset()).encode(Icmpv6Header.TYPE_ECHO_REPLY, 0, request.word());
        stats.increment(StackCounter.ICMPV6_ECHO_REPLIES_SENT);
        send(route, packet);
    }

    /** Sets the checksum over the route's pseudo-header and sends; takes {@code message}. */
    private static void send(Route route, PacketBuffer message) {
        int length = message.length();
        int sum = Checksum.add(route.pseudoHeaderChecksum(Ipv6Header.NEXT_ICMPV6, length), message, 0, length);
        new Icmpv6Header(message.array(), message.offset()).setChecksum(Checksum.finish(sum));
        route.writePacket(Ipv6Header.NEXT_ICMPV6, message, route.ttl(), false);
    }

    private Route routeBack(IpAddress from, IpAddress to) {
        try {
            return host.findRoute(0, from, to);
        } catch (NoRouteToHostException e) {
            stats.increment(StackCounter.IPV6_OUTGOING_DROPPED);
            return null;
        }
    }

    private void handleError(PacketInfo info, PacketBuffer packet, Icmpv6Header h) {
        stats.increment(StackCounter.ICMPV6_ERRORS_RECEIVED);
        TransportError.Kind kind = errorKind(h.type(), h.code());
        int mtu = 0;
        if (kind == TransportError.Kind.PACKET_TOO_BIG) {
            long reported = h.word() & 0xffffffffL;
            // RFC 8201 §4: an MTU below IPv6's minimum is raised to it, so a forged error cannot
            // shrink our segments below 1280-byte packets.
            if (reported < Ipv6Header.MIN_MTU) {
                stats.increment(StackCounter.ICMPV6_PATH_MTU_CLAMPED);
            }
            mtu = (int) Math.min(Math.max(reported, Ipv6Header.MIN_MTU), Ipv6Header.MAX_PAYLOAD_LENGTH);
        }
        packet.consume(Icmpv6Header.LENGTH);
        Ipv6Header quoted = Ipv6Header.ofQuoted(packet);
        if (quoted == null) {
            stats.increment(StackCounter.ICMPV6_MALFORMED);
            return;
        }
        IpAddress quotedSource = quoted.source();
        IpAddress quotedDestination = quoted.destination();
        Ipv6ExtensionHeaders.Walk walk = Ipv6ExtensionHeaders.walk(packet);
        if (walk.outcome != Ipv6ExtensionHeaders.Outcome.UPPER_LAYER || walk.offset + 8 > packet.length()) {
            return; // the quote ends before a transport header we could match to an endpoint
        }
        TransportProtocol transport = host.transport(walk.protocol);
        if (transport == null) {
            return;
        }
        packet.consume(walk.offset);
        transport.handleError(new TransportError(kind, info.source(), quotedDestination, mtu), quotedSource,
                quotedDestination, packet);
    }

    private static TransportError.Kind errorKind(int type, int code) {
        return switch (type) {
            case Icmpv6Header.TYPE_PACKET_TOO_BIG -> TransportError.Kind.PACKET_TOO_BIG;
            case Icmpv6Header.TYPE_TIME_EXCEEDED -> TransportError.Kind.TIME_EXCEEDED;
            case Icmpv6Header.TYPE_PARAMETER_PROBLEM -> code == Ipv6ExtensionHeaders.CODE_UNRECOGNIZED_NEXT_HEADER
                    ? TransportError.Kind.PROTOCOL_UNREACHABLE : TransportError.Kind.PARAMETER_PROBLEM;
            default -> switch (code) {
                case Icmpv6Header.CODE_PORT_UNREACHABLE -> TransportError.Kind.PORT_UNREACHABLE;
                case Icmpv6Header.CODE_NO_ROUTE -> TransportError.Kind.NETWORK_UNREACHABLE;
                default -> TransportError.Kind.HOST_UNREACHABLE;
            };
        };
    }

    /**
     * Sends an error of {@code type} and {@code code} with {@code word} after the checksum (a
     * pointer, an MTU) about {@code original}, which starts at its IPv6 header, unless RFC 4443
     * §2.4(e) forbids one (about an error or a redirect, or from an unspecified or multicast source;
     * the caller has excluded multicast destinations) or the rate limit is exhausted.
     */
    void sendError(int type, int code, int word, PacketInfo info, PacketBuffer original) {
        IpAddress source = info.source();
        if (source.isUnspecified() || source.isMulticastOrBroadcast() || isErrorOrRedirect(original)) {
            return;
        }
        if (!errorLimiter.tryAcquire()) {
            stats.increment(StackCounter.ICMPV6_ERRORS_RATE_LIMITED);
            return;
        }
        IpAddress from = info.destination().isMulticastOrBroadcast() ? null : info.destination();
        Route route = routeBack(from, source);
        if (route == null) {
            return;
        }
        int quoteLength = Math.min(original.length(), MAX_QUOTE);
        PacketBuffer p = PacketBuffer.allocate(route.maxHeaderLength(), Icmpv6Header.LENGTH + quoteLength);
        new Icmpv6Header(p.array(), p.offset()).encode(type, code, word);
        original.copyTo(0, p.array(), p.offset() + Icmpv6Header.LENGTH, quoteLength);
        stats.increment(StackCounter.ICMPV6_ERRORS_SENT);
        send(route, p);
    }

    private static boolean isErrorOrRedirect(PacketBuffer original) {
        Ipv6ExtensionHeaders.Walk walk = Ipv6ExtensionHeaders.walk(original);
        if (walk.outcome != Ipv6ExtensionHeaders.Outcome.UPPER_LAYER || walk.protocol != Ipv6Header.NEXT_ICMPV6) {
            return false;
        }
        if (walk.offset >= original.length()) {
            return true; // an ICMPv6 message too short to tell: no error about it
        }
        int type = original.getByte(walk.offset);
        return Icmpv6Header.isError(type) || type == Icmpv6Header.TYPE_REDIRECT;
    }
}
