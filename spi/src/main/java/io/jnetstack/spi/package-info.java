/**
 * jnetstack as a {@code java.nio} provider: {@link io.jnetstack.spi.JnetstackSelectorProvider}
 * and its channels, selector, pipe and socket adaptors, and the configuration of the default
 * stack from {@code jnetstack.*} system properties ({@link io.jnetstack.spi.JnetstackConfig}); and
 * {@link io.jnetstack.spi.JnetstackAsynchronousChannelProvider}, its asynchronous channels and groups.
 */
package io.jnetstack.spi;
