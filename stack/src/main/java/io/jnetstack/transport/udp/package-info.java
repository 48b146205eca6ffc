/**
 * UDP (RFC 768): {@link io.jnetstack.transport.udp.UdpProtocol} demultiplexes datagrams to
 * endpoints and leaves those for closed ports to the network layer, which answers with ICMP port
 * unreachable; {@link io.jnetstack.transport.udp.UdpEndpoint} is one datagram socket with its
 * bounded receive queue.
 */
package io.jnetstack.transport.udp;
