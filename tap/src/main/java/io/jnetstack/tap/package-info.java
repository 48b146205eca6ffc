/**
 * {@link io.jnetstack.tap.TapLink}: a {@link io.jnetstack.link.LinkEndpoint} that puts Ethernet
 * frames on a Linux TAP device ({@code /dev/net/tun}), so the stack's traffic reaches the kernel
 * and the network behind it.
 */
package io.jnetstack.tap;
