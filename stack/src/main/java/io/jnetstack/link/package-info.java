/**
 * The link layer: {@link io.jnetstack.link.LinkEndpoint}, which carries whole frames, and the links
 * that live inside the process (loopback, the {@link io.jnetstack.link.PipeLink} cable between two
 * stacks), plus wrappers that see every frame: a pcap sniffer and a fault injector.
 */
package io.jnetstack.link;
