package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.IllegalSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Selector facts that need both providers in one JVM. The selector's java.nio behaviour is
 * compat-tests' SelectorContracts, run on each provider in a JVM of its own.
 */
@Timeout(20)
class SelectorTest {
    @RegisterExtension
    final Closer closer = new Closer();

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void channelOfTheOtherProviderIsRefused(SelectorProvider provider) throws Exception {
        SelectorProvider other = provider instanceof JnetstackSelectorProvider ? Providers.jdk() : Providers.jnetstack();
        Selector s = closer.add(provider.openSelector());
        Pipe foreign = other.openPipe();
        closer.add(foreign.source());
        closer.add(foreign.sink());
        foreign.source().configureBlocking(false);
        assertThrows(IllegalSelectorException.class, () -> foreign.source().register(s, SelectionKey.OP_READ));
    }
}
