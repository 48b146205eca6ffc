package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.IcmpHeader;
import io.jnetstack.stack.PacketInfo;
import io.jnetstack.stack.Route;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pings in either family: echo requests sent, and their replies given to the listener registered
 * for their identifier. What ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 §4) share; each builds on it.
 */
public abstract class IcmpEcho {
    private final Map<Integer, EchoListener> echoListeners = new ConcurrentHashMap<>();

    IcmpEcho() {
    }

    /** Receives the echo replies whose identifier is {@code identifier}. */
    public void registerEchoListener(int identifier, EchoListener listener) {
        echoListeners.put(identifier & 0xffff, listener);
    }

    public void unregisterEchoListener(int identifier) {
        echoListeners.remove(identifier & 0xffff);
    }

    /** Sends an echo request (a ping) through {@code route}. */
    public abstract void sendEchoRequest(Route route, int identifier, int sequence, byte[] data);

    /** A view of this family's ICMP header at {@code array[offset..]}, for writing. */
    abstract IcmpHeader header(byte[] array, int offset);

    /** An echo message of {@code type} carrying {@code data}, with room for the route's headers; checksum zero. */
    PacketBuffer echoMessage(Route route, int type, int identifier, int sequence, byte[] data) {
        PacketBuffer p = PacketBuffer.allocate(route.maxHeaderLength(), IcmpHeader.LENGTH + data.length);
        header(p.array(), p.offset()).encode(type, 0, ((identifier & 0xffff) << 16) | (sequence & 0xffff));
        System.arraycopy(data, 0, p.array(), p.offset() + IcmpHeader.LENGTH, data.length);
        return p;
    }

    /** Gives an echo reply ({@code packet} starts at its header {@code h}) to its identifier's listener, if any. */
    void deliverEchoReply(PacketInfo info, PacketBuffer packet, IcmpHeader h) {
        EchoListener l = echoListeners.get(h.identifier());
        if (l != null) {
            byte[] data = new byte[packet.length() - IcmpHeader.LENGTH];
            packet.copyTo(IcmpHeader.LENGTH, data, 0, data.length);
            l.onEchoReply(info.source(), h.sequence(), data, info.ttl());
        }
    }

    /** Receives echo replies (see {@link #registerEchoListener}); {@code ttl} is the TTL or hop limit they arrived with. */
    @FunctionalInterface
    public interface EchoListener {
        void onEchoReply(IpAddress from, int sequence, byte[] data, int ttl);
    }
}
