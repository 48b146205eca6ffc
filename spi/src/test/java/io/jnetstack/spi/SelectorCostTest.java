package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A selection costs in proportion to the ready channels, not the registered ones (DESIGN.md, "The NIO bridge"). */
@Timeout(60)
class SelectorCostTest {
    private static final int IDLE_CHANNELS = 10_000;

    @Test
    void selectChecksOnlyTheActiveChannelAmongTenThousandIdleOnes() throws Exception {
        JnetstackSelectorProvider provider = Providers.jnetstack();
        List<DatagramChannel> channels = new ArrayList<>();
        try (JnetstackSelector selector = (JnetstackSelector) provider.openSelector()) {
            for (int i = 0; i <= IDLE_CHANNELS; i++) {
                DatagramChannel c = provider.openDatagramChannel();
                channels.add(c);
                c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
            }
            assertEquals(0, selector.selectNow(), "registration checks each new key once; none is ready");
            DatagramChannel active = channels.get(IDLE_CHANNELS / 2);
            long checksBefore = selector.readinessChecks();

            channels.get(0).send(ByteBuffer.wrap(new byte[] {1}), active.getLocalAddress());
            assertEquals(1, selector.select());

            assertEquals(Set.of(active.keyFor(selector)), selector.selectedKeys());
            assertEquals(1, selector.readinessChecks() - checksBefore, "only the active channel was checked");
        } finally {
            for (DatagramChannel c : channels) {
                c.close();
            }
        }
    }
}
