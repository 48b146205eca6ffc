/**
 * The network layer: ARP (RFC 826), IPv4 (RFC 791) with fragmentation and reassembly, and ICMPv4
 * (RFC 792). A NIC hands them frames by EtherType; IPv4 hands transport payloads to the stack's
 * transport demuxer and answers what nothing wants with ICMP errors.
 */
package io.jnetstack.network;
