package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SocketChannel facts only jnetstack's own stack can show. The channel's java.nio behaviour is
 * compat-tests' Tcp*Contracts and SocketOptionContracts, run on each provider.
 */
@Timeout(30)
class SocketChannelTest {
    @RegisterExtension
    final Closer closer = new Closer();

    /** jnetstack only: the test host's kernel has a default route, so the JDK would send a SYN into the void. */
    @Test
    void connectWithNoRouteThrowsNoRouteToHostAndClosesTheChannel() throws Exception {
        SocketChannel c = closer.add(Providers.jnetstack().openSocketChannel());
        InetSocketAddress unrouted = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 80);
        assertThrows(NoRouteToHostException.class, () -> c.connect(unrouted));
        assertFalse(c.isOpen());
    }
}
