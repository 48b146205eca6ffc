package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ThreadAllocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registration costs the key, its waiter entry and the selector's own bookkeeping of it: no
 * atomic boxes, no callback object, no queue node for its interest change, no iterator over the
 * cancelled keys. A server registers every connection it accepts, so this is paid once per
 * connection.
 */
@Timeout(60)
class SelectionKeyAllocationTest {
    @Test
    void registeringChangingInterestAndCancellingAKeyAllocatesLittle() throws IOException {
        JnetstackSelectorProvider provider = Providers.jnetstack();
        try (JnetstackSelector selector = (JnetstackSelector) provider.openSelector();
                DatagramChannel channel = provider.openDatagramChannel()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
            double bytesPerRegistration = ThreadAllocation.averageBytesPerStep(5_000, i -> {
                try {
                    SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.selectNow(); // applies the interest; the channel is writable
                    selector.selectedKeys().clear();
                    key.cancel();
                    selector.selectNow(); // deregisters the key
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            // Measured on JDK 17 with compressed oops: 344 B with the key's fields as atomics, its
            // callback a lambda, its interest change queued in a node and the cancelled keys
            // walked with an iterator; 200 B without them (the key, its waiter entry, the key-set,
            // selected-key and cancelled-key set entries, the waiter queue's copied arrays).
            assertTrue(bytesPerRegistration < 220, bytesPerRegistration + " bytes per registration");
        }
    }
}
