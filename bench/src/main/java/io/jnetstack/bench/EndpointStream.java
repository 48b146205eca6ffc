package io.jnetstack.bench;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;

/**
 * A {@link ByteStream} straight on a jnetstack {@link TcpEndpoint}: no NIO layer, so the
 * in-memory benchmark measures the stack alone, as gVisor's {@code -mode=mem} measures netstack
 * through {@code gonet}.
 */
final class EndpointStream implements ByteStream {
    private static final int ANY_EVENT = Events.IN | Events.OUT | Events.ERR | Events.HUP;

    private final TcpEndpoint endpoint;
    private final EndpointWaiter waiter;

    EndpointStream(TcpEndpoint endpoint, long deadlineNanos) {
        this.endpoint = endpoint;
        this.waiter = new EndpointWaiter(endpoint.waiterQueue(), ANY_EVENT, endpoint::readiness, deadlineNanos);
    }

    /** Connects a new endpoint of {@code tcp} with Nagle off and waits for the handshake. */
    static EndpointStream connect(TcpProtocol tcp, IpAddress address, int port, long deadlineNanos) throws IOException {
        TcpEndpoint endpoint = tcp.newEndpoint();
        endpoint.setNoDelay(true);
        EndpointStream stream = new EndpointStream(endpoint, deadlineNanos);
        try {
            endpoint.connect(address, port);
            stream.waiter.await(Events.OUT | Events.ERR | Events.HUP);
            IOException failure = endpoint.getAndClearError();
            if (failure != null) {
                throw failure;
            }
            // A peer that closes at once (the cc workload) may already have moved us past ESTABLISHED.
            if (!endpoint.state().isSynchronized()) {
                throw new ConnectException("connect to " + address + ":" + port + " ended in " + endpoint.state());
            }
            return stream;
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return endpoint.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return endpoint.write(src);
    }

    @Override
    public void awaitReadable() throws IOException {
        waiter.await(Events.IN | Events.ERR | Events.HUP);
    }

    @Override
    public void awaitWritable() throws IOException {
        waiter.await(Events.OUT | Events.ERR | Events.HUP);
    }

    @Override
    public void shutdownOutput() {
        endpoint.shutdownOutput();
    }

    @Override
    public void close() {
        waiter.close();
        endpoint.close();
    }
}
