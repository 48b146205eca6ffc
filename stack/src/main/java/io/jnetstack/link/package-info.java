/**
 * The link layer: {@link io.jnetstack.link.LinkEndpoint}, which carries whole frames, and the links
 * that live inside the process (loopback, the {@link io.jnetstack.link.PipeLink} cable between two
 * stacks), plus wrappers that see every frame (a pcap sniffer; the fault injector lives in {@code io.jnetstack.fault}).
 */
package io.jnetstack.link;
