package io.jnetstack.spi;

import io.jnetstack.stack.Stack;
import java.io.IOException;

/**
 * The JVM's one default stack, built from the system properties on first use. A bad
 * configuration is reported at every open, not only the first, so that no channel silently runs
 * on a stack other than the one the properties ask for.
 */
final class DefaultStack {
    /** The base of the default stack's name in its MBeans' names ({@code default-PID-N}). */
    static final String MBEAN_STACK_NAME = "default";

    private static volatile Stack stack;
    private static volatile IOException failure;

    private DefaultStack() {
    }

    /**
     * The default stack, built now if this is the first call.
     *
     * @throws IOException naming the bad property when the configuration is invalid or the TAP
     *                     device or capture file cannot be opened
     */
    static Stack get() throws IOException {
        Stack s = stack;
        if (s != null) {
            return s;
        }
        synchronized (DefaultStack.class) {
            if (stack == null && failure == null) {
                try {
                    stack = assemble();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            return stack;
        }
    }

    private static Stack assemble() throws IOException {
        JnetstackConfig config;
        try {
            config = JnetstackConfig.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid jnetstack configuration: " + e.getMessage(), e);
        }
        AssembledStack assembled = AssembledStack.build(config);
        // An unmodified program never registers MBeans itself; an operator's JMX console or the
        // -all jar's ss command must find them all the same.
        try {
            assembled.registerMBeans(MBEAN_STACK_NAME);
        } catch (SecurityException e) {
            // A security manager without MBeanPermission: the program's sockets matter more than the view.
            System.getLogger(DefaultStack.class.getName()).log(System.Logger.Level.WARNING,
                    "jnetstack: the default stack's MBeans are not published: " + e);
        }
        // Captures are buffered; without this the end of a pcap file would be lost at exit.
        Runtime.getRuntime().addShutdownHook(new Thread(assembled::flushCaptures, "jnetstack-pcap-flush"));
        return assembled.stack();
    }
}
