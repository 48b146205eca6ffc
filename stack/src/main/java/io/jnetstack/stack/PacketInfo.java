package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;

/** What the network layer tells a transport about a received packet. */
public record PacketInfo(IpAddress source, IpAddress destination, int nicId, int ttl, int tos) {
}
