/**
 * The network layer: ARP (RFC 826), IPv4 (RFC 791) with fragmentation and reassembly, and its
 * ICMPv4 (RFC 792). Each is a {@link io.jnetstack.stack.NetworkProtocol} registered with a stack;
 * a NIC hands it frames by EtherType, and it sees the stack only as a
 * {@link io.jnetstack.stack.NetworkHost}: IPv4 hands transport payloads to the transport
 * protocols found there and answers what nothing wants with ICMP errors.
 */
package io.jnetstack.network;
