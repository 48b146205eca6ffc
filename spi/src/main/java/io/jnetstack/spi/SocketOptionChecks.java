package io.jnetstack.spi;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;

/** The JDK's validation of {@code setOption} arguments, with its messages (sun.nio.ch.Net.setSocketOption). */
final class SocketOptionChecks {
    private SocketOptionChecks() {
    }

    /** Checks that {@code name} is supported and {@code value} acceptable for it. */
    static void checkSet(SocketOption<?> name, Object value, Set<SocketOption<?>> supported) {
        checkSupported(name, supported);
        if (value == null) {
            throw new IllegalArgumentException("Invalid value 'null'");
        }
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        if (name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) {
            if ((Integer) value < 0) {
                throw new IllegalArgumentException("Invalid send/receive buffer size");
            }
        }
        if (name == StandardSocketOptions.IP_TOS) {
            int tos = (Integer) value;
            if (tos < 0 || tos > 255) {
                throw new IllegalArgumentException("Invalid IP_TOS value");
            }
        }
    }

    static void checkSupported(SocketOption<?> name, Set<SocketOption<?>> supported) {
        if (!supported.contains(java.util.Objects.requireNonNull(name))) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }
}
