package io.jnetstack.spi;

import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * The {@code java.nio} provider whose channels, selectors and pipes run on jnetstack. Install it
 * with {@code -Djava.nio.channels.spi.SelectorProvider=io.jnetstack.spi.JnetstackSelectorProvider}
 * (or by putting the jar on the class path, through its service file): the program's
 * {@code SocketChannel.open()}, {@code Selector.open()} and the like then use it.
 *
 * <p>The no-argument constructor uses the JVM's default stack, built from the
 * {@code jnetstack.*} system properties when the first channel, selector or pipe is opened; a bad
 * property value makes that open (and every later one) throw an {@link IOException} naming the
 * property. The other constructor runs the channels on a stack the program built.
 */
public class JnetstackSelectorProvider extends SelectorProvider {
    private final StackSource stacks;

    /**
     * The provider over the default stack, which the {@code jnetstack.*} system properties describe.
     * With {@code jnetstack.javaNet=true} it also puts java.net's plain sockets on that stack.
     *
     * @throws IllegalArgumentException naming {@code jnetstack.javaNet} if it is neither true nor false
     * @throws IllegalStateException    if java.net's socket factories were set by someone else first
     */
    public JnetstackSelectorProvider() {
        this.stacks = DefaultStack::get;
        if (JavaNetSockets.requested(System.getProperty(JavaNetSockets.PROPERTY))) {
            JavaNetSockets.install(this);
        }
    }

    /** A provider whose channels run on {@code stack}. */
    public JnetstackSelectorProvider(Stack stack) {
        Objects.requireNonNull(stack, "stack");
        this.stacks = () -> stack;
    }

    /** Where the provider's stack comes from; the default one is built lazily and may fail. */
    @FunctionalInterface
    private interface StackSource {
        Stack get() throws IOException;
    }

    /** The stack this provider's channels run on, built now if it is the default one and not built yet. */
    public Stack stack() throws IOException {
        return stacks.get();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        stacks.get(); // a bad configuration fails here already, not later in a surprising place
        return new JnetstackSelector(this);
    }

    @Override
    public Pipe openPipe() throws IOException {
        stacks.get();
        return new JnetstackPipe(this);
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new JnetstackDatagramChannel(this, stacks.get(), false);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return new JnetstackDatagramChannel(this, stacks.get(), isIpv4Only(family));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new JnetstackServerSocketChannel(this, tcp().newEndpoint(), false);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new JnetstackSocketChannel(this, tcp().newEndpoint(), false);
    }

    TcpProtocol tcp() throws IOException {
        TcpProtocol tcp = (TcpProtocol) stacks.get().transport(TcpProtocol.PROTOCOL_NUMBER);
        if (tcp == null) {
            throw new IllegalStateException("the stack has no TCP protocol: build it with .transport(new TcpProtocol())");
        }
        return tcp;
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return new JnetstackSocketChannel(this, tcp().newEndpoint(), isIpv4Only(family));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return new JnetstackServerSocketChannel(this, tcp().newEndpoint(), isIpv4Only(family));
    }

    /** No channel is inherited: jnetstack's sockets never come from the process that started the JVM. */
    @Override
    public Channel inheritedChannel() {
        return null;
    }

    /**
     * True for INET: a channel of IPv4 only. INET6 channels are dual-stack like those opened without
     * a family, as the JDK's are.
     */
    private static boolean isIpv4Only(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family == StandardProtocolFamily.INET) {
            return true;
        }
        if (family == StandardProtocolFamily.INET6) {
            return false;
        }
        if (family == StandardProtocolFamily.UNIX) {
            throw new UnsupportedOperationException("jnetstack does not offer UNIX-domain sockets");
        }
        throw new UnsupportedOperationException("Protocol family not supported");
    }
}
