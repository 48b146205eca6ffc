/**
 * TCP (RFC 9293) for jnetstack.
 *
 * <p>{@link io.jnetstack.transport.tcp.TcpProtocol} is what the network layer sees: it validates
 * segments, finds the endpoint through the stack's demuxer, answers segments to closed ports with
 * RST and routes ICMP errors. {@link io.jnetstack.transport.tcp.TcpEndpoint} is one socket: the
 * application's API and the connection's state machine. Its parts, in the manner of netstack's
 * tcp package: {@code TcpHandshake} (SYN, SYN-ACK, option negotiation), {@code TcpSender}
 * (segmentation, Nagle, SWS avoidance, RTO, NewReno and SACK recovery over a
 * {@link io.jnetstack.transport.tcp.CongestionControl}), {@code TcpReceiver} (reassembly, delayed
 * ACKs, window), {@code TcpKeepalive}, and for a listening socket {@code TcpListener} (SYN queue,
 * accept queue, SYN cookies).
 *
 * <p>Threads: a connection's protocol state is owned by one processor thread of the stack (flow
 * hash of its 4-tuple); segments, timers ({@code ProcessorTimer}) and application wake-ups run
 * there. Application threads only touch the send and receive buffers, under the endpoint's lock.
 * Payload is copied once on each side: into {@code SendBuffer} chunks that segments then reference
 * as slices, and out of the received packets that {@code ReceiveBuffer} references.
 *
 * <p>Tests drive an endpoint segment by segment with {@code TcpTestContext} (manual clock, inline
 * processors, a capturing route) and check every emitted segment with {@code EmittedSegment}.
 */
package io.jnetstack.transport.tcp;
