package io.jnetstack.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.util.Set;

/**
 * What jnetstack's {@code Socket} and {@code ServerSocket} implementations have in common: each
 * drives one socket adaptor of a jnetstack channel, made by {@code create}, and forwards the
 * socket options to it, by {@link SocketOption} and by their old integer names
 * ({@link SocketOptions}), the options both kinds of socket take handled here once.
 */
abstract class AdaptorSocketImpl<A extends AdaptorSocketImpl.Adaptor> extends SocketImpl {
    /** The methods of {@code Socket} and {@code ServerSocket} that both adaptors have and options need. */
    interface Adaptor extends Closeable {
        <T> Object setOption(SocketOption<T> name, T value) throws IOException;

        <T> T getOption(SocketOption<T> name) throws IOException;

        Set<SocketOption<?>> supportedOptions();

        void setSoTimeout(int millis) throws SocketException;

        int getSoTimeout() throws SocketException;

        void setReuseAddress(boolean on) throws SocketException;

        boolean getReuseAddress() throws SocketException;

        void setReceiveBufferSize(int size) throws SocketException;

        int getReceiveBufferSize() throws SocketException;
    }

    private final Set<SocketOption<?>> optionsBeforeCreate;
    private A adaptor;

    /** @param optionsBeforeCreate what {@link #supportedOptions} answers before {@code create} (Socket asks that early) */
    AdaptorSocketImpl(Set<SocketOption<?>> optionsBeforeCreate) {
        this.optionsBeforeCreate = optionsBeforeCreate;
    }

    /** From now on this implementation drives {@code adaptor}. */
    final void drive(A adaptor) {
        this.adaptor = adaptor;
    }

    final A adaptor() throws SocketException {
        if (adaptor == null) {
            throw new SocketException("Socket is not created");
        }
        return adaptor;
    }

    @Override
    protected void close() throws IOException {
        if (adaptor != null) {
            adaptor.close();
        }
    }

    /** Sets an option both kinds of socket take (SO_TIMEOUT, SO_REUSEADDR, SO_RCVBUF), with java.net's value types. */
    final void setCommonOption(int id, Object value) throws SocketException {
        A s = adaptor();
        switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.setSoTimeout((Integer) value);
            case SocketOptions.SO_REUSEADDR -> s.setReuseAddress((Boolean) value);
            case SocketOptions.SO_RCVBUF -> s.setReceiveBufferSize((Integer) value);
            default -> throw new SocketException("Unknown option " + id);
        }
    }

    /** Reads an option both kinds of socket take (SO_TIMEOUT, SO_REUSEADDR, SO_RCVBUF). */
    final Object commonOption(int id) throws SocketException {
        A s = adaptor();
        return switch (id) {
            case SocketOptions.SO_TIMEOUT -> s.getSoTimeout();
            case SocketOptions.SO_REUSEADDR -> s.getReuseAddress();
            case SocketOptions.SO_RCVBUF -> s.getReceiveBufferSize();
            default -> throw new SocketException("Unknown option " + id);
        };
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        adaptor().setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return adaptor().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return adaptor != null ? adaptor.supportedOptions() : optionsBeforeCreate;
    }
}
