package io.jnetstack.compat.programs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An echo server written with AsynchronousServerSocketChannel and completion handlers only, and
 * CLIENTS concurrent AsynchronousSocketChannel clients, each streaming the first BYTES
 * pseudo-random bytes and reading them back, all in the default group over 127.0.0.1. It prints
 * the SHA-256 of what each client sent and, when every client got back what it sent, of what came
 * back. Arguments: BYTES [CLIENTS, default 100].
 */
public final class AsyncEcho {
    private static final int BUFFER = 16 * 1024;
    private static final long LIMIT_MINUTES = 3;

    private AsyncEcho() {
    }

    public static void main(String[] args) throws Exception {
        int bytes = Integer.parseInt(args[0]);
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        System.out.println("asyncProvider " + AsynchronousChannelProvider.provider().getClass().getName());
        byte[] payload = new Digests.Source().next(bytes);
        MessageDigest sent = Digests.sha256();
        sent.update(payload);
        System.out.printf("%d clients each sent %d bytes sha256 %s%n", clients, bytes, Digests.hex(sent));

        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clients);
        server.accept(null, new Acceptor(server));

        CountDownLatch finished = new CountDownLatch(clients);
        List<String> echoed = new CopyOnWriteArrayList<>();
        for (int i = 0; i < clients; i++) {
            new Client(server.getLocalAddress(), payload, echoed, finished).start();
        }
        if (!finished.await(LIMIT_MINUTES, TimeUnit.MINUTES)) {
            System.out.println("only " + (clients - finished.getCount()) + " of " + clients + " clients finished");
            System.exit(1);
        }
        server.close();
        Set<String> digests = new HashSet<>(echoed);
        if (echoed.size() != clients || digests.size() != 1) {
            System.out.println("clients got back different bytes: " + echoed);
            System.exit(1);
        }
        System.out.printf("%d clients each got back %d bytes sha256 %s%n", clients, bytes, digests.iterator().next());
    }

    /** Accepts every connection and echoes it, re-arming itself after each accept. */
    private record Acceptor(AsynchronousServerSocketChannel server) implements CompletionHandler<AsynchronousSocketChannel, Void> {
        @Override
        public void completed(AsynchronousSocketChannel connection, Void unused) {
            server.accept(null, this);
            new Echo(connection).readMore();
        }

        @Override
        public void failed(Throwable exc, Void unused) {
            if (server.isOpen()) {
                exc.printStackTrace();
            }
        }
    }

    /** Reads what the client sent and writes all of it back, then reads again, until the client's end of stream. */
    private static final class Echo implements CompletionHandler<Integer, Void> {
        private final AsynchronousSocketChannel connection;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private boolean writing;

        Echo(AsynchronousSocketChannel connection) {
            this.connection = connection;
        }

        void readMore() {
            writing = false;
            buffer.clear();
            connection.read(buffer, null, this);
        }

        @Override
        public void completed(Integer n, Void unused) {
            if (!writing && n < 0) {
                close(connection);
                return;
            }
            if (!writing) {
                buffer.flip();
                writing = true;
            }
            if (buffer.hasRemaining()) {
                connection.write(buffer, null, this);
            } else {
                readMore();
            }
        }

        @Override
        public void failed(Throwable exc, Void unused) {
            exc.printStackTrace();
            close(connection);
        }
    }

    /** Connects, writes the payload and reads it back, reading and writing at once. */
    private static final class Client {
        private final SocketAddress server;
        private final ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(BUFFER);
        private final MessageDigest received = Digests.sha256();
        private final List<String> echoed;
        private final CountDownLatch finished;
        private final int expected;
        private long got;
        private AsynchronousSocketChannel channel;

        Client(SocketAddress server, byte[] payload, List<String> echoed, CountDownLatch finished) {
            this.server = server;
            this.out = ByteBuffer.wrap(payload);
            this.expected = payload.length;
            this.echoed = echoed;
            this.finished = finished;
        }

        void start() throws IOException {
            channel = AsynchronousSocketChannel.open();
            channel.connect(server, null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void result, Void unused) {
                    write();
                    read();
                }

                @Override
                public void failed(Throwable exc, Void unused) {
                    fail(exc);
                }
            });
        }

        private void write() {
            channel.write(out, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void unused) {
                    if (out.hasRemaining()) {
                        channel.write(out, null, this);
                    }
                }

                @Override
                public void failed(Throwable exc, Void unused) {
                    fail(exc);
                }
            });
        }

        private void read() {
            channel.read(in.clear(), null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void unused) {
                    if (n < 0) {
                        fail(new IOException("end of stream after " + got + " of " + expected + " bytes"));
                        return;
                    }
                    received.update(in.flip());
                    got += n;
                    if (got < expected) {
                        channel.read(in.clear(), null, this);
                        return;
                    }
                    close(channel);
                    echoed.add(Digests.hex(received));
                    finished.countDown();
                }

                @Override
                public void failed(Throwable exc, Void unused) {
                    fail(exc);
                }
            });
        }

        private void fail(Throwable exc) {
            exc.printStackTrace();
            close(channel);
            echoed.add("failed: " + exc);
            finished.countDown();
        }
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
