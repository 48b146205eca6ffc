package io.jnetstack.spi;

import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.udp.UdpProtocol;
import java.nio.channels.spi.SelectorProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The providers a behaviour test runs on: the JDK's own (the oracle) and jnetstack's over a
 * loopback-only stack shared by the test JVM.
 */
final class Providers {
    private static Stack loopbackStack;

    private Providers() {
    }

    /** Both providers, named for test reports; a {@code @MethodSource}. */
    static Stream<Named<SelectorProvider>> both() {
        return Stream.of(Named.of("jdk", jdk()), Named.of("jnetstack", jnetstack()));
    }

    /**
     * The JDK's default provider. SelectorProvider.provider() would be jnetstack's here, since
     * this module's service file is on the test class path.
     */
    static SelectorProvider jdk() {
        try {
            return (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider").getMethod("get").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }

    static JnetstackSelectorProvider jnetstack() {
        return new JnetstackSelectorProvider(loopbackStack());
    }

    static synchronized Stack loopbackStack() {
        if (loopbackStack == null) {
            loopbackStack = Stack.builder().network(NetworkProtocols.ipv4()).transport(new UdpProtocol())
                    .transport(new TcpProtocol()).build();
            loopbackStack.createNic("lo", new LoopbackLink()).addAddress(IpSubnet.parse("127.0.0.1/8"));
        }
        return loopbackStack;
    }
}
