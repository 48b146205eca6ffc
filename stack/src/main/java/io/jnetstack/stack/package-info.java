/**
 * What ties the layers together: {@link io.jnetstack.stack.Stack} and its builder, NICs, the route
 * table and resolved routes, the link-address (neighbour) cache, the port manager, the transport
 * demuxer that finds a packet's endpoint, and the stack's counters with their JMX view.
 */
package io.jnetstack.stack;
