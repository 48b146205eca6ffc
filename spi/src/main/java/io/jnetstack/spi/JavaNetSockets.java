package io.jnetstack.spi;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Puts {@code new Socket()}, {@code new ServerSocket()}, {@code new DatagramSocket()} and
 * {@code new MulticastSocket()} on jnetstack, through the implementation factories java.net still
 * offers (deprecated in JDK 17, but honoured): those classes never consult the SelectorProvider.
 * A JVM has one factory of each kind, settable once, so a factory someone else set first is
 * reported, not replaced.
 */
@SuppressWarnings("deprecation") // the factory setters are deprecated since JDK 17, and the only way in
final class JavaNetSockets {
    /** {@code true} installs the factories when the provider starts; {@code false} (the default) leaves java.net on the kernel. */
    static final String PROPERTY = JnetstackConfig.PREFIX + "javaNet";

    private static JnetstackSelectorProvider installedFor;

    private JavaNetSockets() {
    }

    /**
     * Whether {@link #PROPERTY} asks for the factories.
     *
     * @throws IllegalArgumentException naming the property and its accepted values for anything but true or false
     */
    static boolean requested(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + value + ": expected true or false");
        };
    }

    /**
     * Installs the three factories, their sockets running on {@code provider}'s stack. A second
     * call changes nothing: the first provider keeps them.
     *
     * @throws IllegalStateException if another factory was installed first, saying which
     */
    static synchronized void install(JnetstackSelectorProvider provider) {
        if (installedFor != null) {
            return;
        }
        try {
            Socket.setSocketImplFactory(() -> new JnetstackSocketImpl(provider));
            ServerSocket.setSocketFactory(() -> new JnetstackServerSocketImpl(provider));
            DatagramSocket.setDatagramSocketImplFactory(() -> new JnetstackDatagramSocketImpl(provider));
        } catch (IOException e) {
            // java.net says only "factory already defined"; each setter refuses before changing anything.
            throw new IllegalStateException("jnetstack cannot put java.net sockets on its stack: another "
                    + "SocketImplFactory or DatagramSocketImplFactory was installed first (" + e.getMessage()
                    + "); java.net sockets would go to it, or in part to the kernel", e);
        }
        installedFor = provider;
    }
}
