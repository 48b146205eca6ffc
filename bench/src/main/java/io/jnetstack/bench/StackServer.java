package io.jnetstack.bench;

import io.jnetstack.address.IpAddress;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server side of the peers' wire protocol (see {@link NioServer}) straight on jnetstack
 * endpoints, one thread per connection as gVisor's {@code gonet} server runs one goroutine per
 * connection: an accepting thread per port, and a thread serving each data connection.
 */
final class StackServer implements AutoCloseable {
    /** Large enough that a bulk receive drains a full window in a few reads. */
    private static final int RECEIVE_BUFFER_BYTES = 256 << 10;
    private static final int BACKLOG = 1024;

    private final TcpEndpoint data;
    private final TcpEndpoint connects;
    private final long deadlineNanos;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Listens on {@code address}:{@code port} (data) and the next port (connects) until the deadline. */
    StackServer(TcpProtocol tcp, IpAddress address, int port, long deadlineNanos) throws IOException {
        this.deadlineNanos = deadlineNanos;
        data = listen(tcp, address, port);
        connects = listen(tcp, address, port + 1);
        start("accept-data", () -> acceptLoop(data, true));
        start("accept-connects", () -> acceptLoop(connects, false));
    }

    private static TcpEndpoint listen(TcpProtocol tcp, IpAddress address, int port) throws IOException {
        TcpEndpoint listener = tcp.newEndpoint();
        listener.setReuseAddress(true);
        listener.bind(address, port);
        listener.listen(BACKLOG);
        return listener;
    }

    private interface Job {
        void run() throws IOException;
    }

    private void start(String name, Job job) {
        Thread t = new Thread(() -> {
            try {
                job.run();
            } catch (InterruptedIOException e) {
                // Stopped by close().
            } catch (IOException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    System.err.println("StackServer: " + name + ": " + e);
                }
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "stack-server-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop(TcpEndpoint listener, boolean servesData) throws IOException {
        try (EndpointWaiter waiter = new EndpointWaiter(listener.waiterQueue(), Events.IN, listener::readiness, deadlineNanos)) {
            while (true) {
                waiter.await(Events.IN);
                TcpEndpoint accepted;
                while ((accepted = listener.accept()) != null) {
                    if (!servesData) {
                        accepted.close();
                        continue;
                    }
                    accepted.setNoDelay(true);
                    EndpointStream stream = new EndpointStream(accepted, deadlineNanos);
                    start("connection", () -> serve(stream));
                }
            }
        }
    }

    /** Runs one data connection: the first byte chooses bulk counting or echo. */
    private static void serve(EndpointStream stream) throws IOException {
        try (stream) {
            ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER_BYTES);
            ByteBuffer opcode = ByteBuffer.allocate(1);
            if (!stream.readFully(opcode, true)) {
                return;
            }
            switch (opcode.get(0)) {
                case NioServer.BULK -> countToEnd(stream, buffer);
                case NioServer.ECHO -> echoToEnd(stream, buffer);
                default -> throw new IOException("unknown opcode " + opcode.get(0));
            }
        }
    }

    private static void countToEnd(ByteStream stream, ByteBuffer buffer) throws IOException {
        long total = 0;
        while (true) {
            stream.awaitReadable();
            buffer.clear();
            int n = stream.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        stream.writeFully(ByteBuffer.allocate(Long.BYTES).putLong(total).flip());
    }

    private static void echoToEnd(ByteStream stream, ByteBuffer buffer) throws IOException {
        while (true) {
            stream.awaitReadable();
            buffer.clear();
            if (stream.read(buffer) < 0) {
                return;
            }
            stream.writeFully(buffer.flip());
        }
    }

    /** Stops every server thread and closes the listeners. */
    @Override
    public void close() {
        for (Thread t : threads) {
            t.interrupt();
        }
        data.close();
        connects.close();
    }
}
