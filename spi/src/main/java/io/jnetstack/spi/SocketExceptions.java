package io.jnetstack.spi;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * What the socket adaptors throw for a channel's exception: the {@code java.net} API speaks
 * {@link SocketException} where channels speak their own exceptions. Same mapping and messages
 * as the JDK's adaptors.
 */
final class SocketExceptions {
    private SocketExceptions() {
    }

    /** A channel call an adaptor makes. */
    @FunctionalInterface
    interface ChannelCall<T> {
        T call() throws Exception;
    }

    /**
     * Makes {@code call} for an adaptor method that may throw any IOException (connect, bind,
     * accept, shutdown): an IOException it throws goes out as it is, anything else translated,
     * as the JDK's adaptors do.
     */
    static <T> T call(ChannelCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (IOException e) {
            throw e;
        } catch (Exception x) {
            throw translate(x);
        }
    }

    /** What an adaptor throws for a call on a socket it never opened: it has no kernel socket. */
    static SocketException noKernelSocket(String adaptor) {
        return new SocketException("jnetstack: a " + adaptor + " adaptor has no kernel socket");
    }

    /** {@code x} as the socket API reports it: a SocketException, or {@code x} itself if unchecked and unmapped. */
    static SocketException translate(Exception x) {
        if (x instanceof SocketException se) {
            return se;
        }
        String message;
        if (x instanceof ClosedChannelException) {
            message = "Socket is closed";
        } else if (x instanceof NotYetConnectedException) {
            message = "Socket is not connected";
        } else if (x instanceof AlreadyBoundException) {
            message = "Already bound";
        } else if (x instanceof AlreadyConnectedException) {
            message = "Already connected";
        } else if (x instanceof NotYetBoundException) {
            message = "Socket is not bound yet";
        } else if (x instanceof UnsupportedAddressTypeException) {
            message = "Unsupported address type";
        } else if (x instanceof UnresolvedAddressException) {
            message = "Unresolved address";
        } else if (x instanceof IOException) {
            message = x.getMessage();
        } else if (x instanceof RuntimeException re) {
            throw re;
        } else {
            throw new IllegalStateException("untranslated exception", x);
        }
        SocketException se = new SocketException(message);
        se.initCause(x);
        return se;
    }
}
