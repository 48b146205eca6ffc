/**
 * Addresses as values: {@link io.jnetstack.address.IpAddress} (IPv4 and IPv6), an address with a
 * prefix length ({@link io.jnetstack.address.IpSubnet}) and a link-layer (MAC) address
 * ({@link io.jnetstack.address.LinkAddress}). Every layer uses them; they depend on nothing.
 */
package io.jnetstack.address;
