package io.jnetstack.network;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Route;

/** Pings in either family: echo requests sent, and their replies given to a listener (ICMPv4 and ICMPv6). */
public interface IcmpEcho {
    /** Receives the echo replies whose identifier is {@code identifier}. */
    void registerEchoListener(int identifier, EchoListener listener);

    void unregisterEchoListener(int identifier);

    /** Sends an echo request through {@code route}. */
    void sendEchoRequest(Route route, int identifier, int sequence, byte[] data);

    /** Receives echo replies (see {@link #registerEchoListener}); {@code ttl} is the TTL or hop limit they arrived with. */
    @FunctionalInterface
    interface EchoListener {
        void onEchoReply(IpAddress from, int sequence, byte[] data, int ttl);
    }
}
