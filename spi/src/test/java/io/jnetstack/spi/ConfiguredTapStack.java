package io.jnetstack.spi;

import io.jnetstack.tap.testing.KernelPeer;
import java.util.Map;

/** The stack the {@code jnetstack.tap}, {@code ipv4} and {@code gateway} properties describe, on a {@link KernelPeer}'s device. */
final class ConfiguredTapStack {
    private ConfiguredTapStack() {
    }

    static AssembledStack on(KernelPeer peer) throws Exception {
        JnetstackConfig config = JnetstackConfig.parse(Map.of("jnetstack.tap", peer.deviceName(),
                "jnetstack.ipv4", KernelPeer.STACK_ADDRESS.getHostAddress() + "/" + KernelPeer.PREFIX_LENGTH,
                "jnetstack.gateway", KernelPeer.KERNEL_ADDRESS.getHostAddress())::get);
        // The peer already opened the device (and moved its name into the namespace): hand that link over.
        return AssembledStack.build(config, tapConfig -> peer.link());
    }
}
