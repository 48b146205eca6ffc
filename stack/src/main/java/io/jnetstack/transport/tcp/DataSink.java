package io.jnetstack.transport.tcp;

/**
 * Receives in-order bytes, e.g. a connection's receive buffer. The array belongs to the caller
 * and may be reused after {@code accept} returns, so a sink copies what it keeps.
 */
@FunctionalInterface
interface DataSink {
    void accept(byte[] array, int offset, int length);
}
