/**
 * What ties the layers together: {@link io.jnetstack.stack.Stack} and its builder, NICs, the route
 * table and resolved routes, the link-address (neighbour) cache, the port manager, the transport
 * demuxer that finds a packet's endpoint, the stack's counters with their JMX view, and the
 * interfaces network and transport protocols plug in through ({@link
 * io.jnetstack.stack.NetworkProtocol}, {@link io.jnetstack.stack.TransportProtocol}) with the views
 * of the stack they see.
 */
package io.jnetstack.stack;
