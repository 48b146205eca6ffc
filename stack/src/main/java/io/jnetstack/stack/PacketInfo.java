package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;

/** What the network layer tells a transport about a received packet. */
public record PacketInfo(IpAddress source, IpAddress destination, int nicId, int ttl, int tos) {
    /**
     * Recently made infos, direct-mapped by their hash: a flow's packets nearly all carry the same
     * addresses, NIC, TTL and TOS, so each packet of a flow finds its info here instead of making
     * one. Infos are immutable and replaced whole, so threads share the table without locking (a
     * racing reader just misses).
     */
    private static final PacketInfo[] RECENT = new PacketInfo[64];

    /** The info with these values, one made before if it is still in {@link #RECENT}. */
    public static PacketInfo of(IpAddress source, IpAddress destination, int nicId, int ttl, int tos) {
        int h = source.hashCode() * 31 + destination.hashCode();
        h = (h * 31 + nicId) * 31 + (ttl << 8 | tos);
        int slot = (h ^ (h >>> 6) ^ (h >>> 12) ^ (h >>> 18) ^ (h >>> 24)) & (RECENT.length - 1);
        PacketInfo recent = RECENT[slot];
        if (recent != null && recent.nicId == nicId && recent.ttl == ttl && recent.tos == tos
                && recent.source.equals(source) && recent.destination.equals(destination)) {
            return recent;
        }
        PacketInfo info = new PacketInfo(source, destination, nicId, ttl, tos);
        RECENT[slot] = info;
        return info;
    }
}
