package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JnetstackSelectorProviderTest {
    private final JnetstackSelectorProvider provider = Providers.jnetstack();

    @Test
    void serviceFileNamesTheProvider() {
        assertTrue(ServiceLoader.load(SelectorProvider.class).stream()
                .anyMatch(p -> p.type() == JnetstackSelectorProvider.class));
    }

    @Test
    void noChannelIsInherited() {
        assertNull(provider.inheritedChannel());
    }

    @Test
    void unixDomainSocketsAreNotOffered() {
        for (var open : new org.junit.jupiter.api.function.Executable[] {
            () -> provider.openDatagramChannel(StandardProtocolFamily.UNIX),
            () -> provider.openSocketChannel(StandardProtocolFamily.UNIX),
            () -> provider.openServerSocketChannel(StandardProtocolFamily.UNIX)}) {
            assertEquals("jnetstack does not offer UNIX-domain sockets", assertThrows(UnsupportedOperationException.class, open).getMessage());
        }
    }

    @Test
    void ipv6MulticastIsNotOfferedYet() throws Exception {
        try (DatagramChannel c = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            java.net.NetworkInterface lo = java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getLoopbackAddress());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> c.join(java.net.InetAddress.getByName("ff02::1:3"), lo));
            assertEquals("jnetstack does not offer IPv6 multicast yet", e.getMessage());
        }
    }

    @Test
    void channelsBelongToTheProvider() throws Exception {
        try (DatagramChannel c = provider.openDatagramChannel();
             java.nio.channels.SocketChannel s = provider.openSocketChannel();
             java.nio.channels.ServerSocketChannel ss = provider.openServerSocketChannel()) {
            assertInstanceOf(JnetstackDatagramChannel.class, c);
            assertEquals(provider, c.provider());
            assertInstanceOf(JnetstackSocketChannel.class, s);
            assertEquals(provider, s.provider());
            assertInstanceOf(JnetstackServerSocketChannel.class, ss);
            assertEquals(provider, ss.provider());
        }
    }
}
