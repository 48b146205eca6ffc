package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;

/**
 * One row of the route table: packets for {@code destination} leave through NIC {@code nicId},
 * to {@code gateway} if it is set, else directly to the destination (an on-link route).
 */
public record RouteEntry(IpSubnet destination, IpAddress gateway, int nicId) {
    public static RouteEntry onLink(IpSubnet destination, int nicId) {
        return new RouteEntry(destination, null, nicId);
    }

    public static RouteEntry defaultVia(IpAddress gateway, int nicId) {
        IpAddress any = gateway.isV4() ? IpAddress.IPV4_ANY : IpAddress.IPV6_ANY;
        return new RouteEntry(new IpSubnet(any, 0), gateway, nicId);
    }
}
