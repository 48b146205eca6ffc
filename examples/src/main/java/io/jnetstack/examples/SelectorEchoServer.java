package io.jnetstack.examples;

import io.jnetstack.spi.JnetstackSelectorProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic single-threaded java.nio echo server — one Selector, non-blocking channels, a buffer
 * per connection — on jnetstack, with a blocking client doing three "Hello Netstack" round trips.
 *
 * <p>Arguments: {@code --clients N} connects N clients one after another (default 1), each doing
 * the three round trips; {@code --hold} then keeps the listener and every connection open until
 * standard input ends (Ctrl-D), so a running program's sockets can be looked at, e.g. with
 * {@code java -jar jnetstack-spi-VERSION-all.jar ss -a PID}.
 *
 * <p>The channels come from a {@link JnetstackSelectorProvider} because "mvn exec:java" runs this
 * inside Maven's JVM; a program started with the provider property just calls
 * {@code Selector.open()} and {@code ServerSocketChannel.open()}.
 */
public final class SelectorEchoServer {
    private SelectorEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int clientCount = 1;
        boolean hold = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--hold")) {
                hold = true;
            } else if (args[i].equals("--clients") && i + 1 < args.length && args[i + 1].matches("[1-9][0-9]{0,3}")) {
                clientCount = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument \"" + args[i]
                        + "\"; accepted: [--clients N] [--hold], N from 1 to 9999");
            }
        }
        SelectorProvider nio = new JnetstackSelectorProvider();
        try (Selector selector = nio.openSelector(); ServerSocketChannel server = nio.openServerSocketChannel()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println("selector echo server on " + server.getLocalAddress());
            Thread loop = new Thread(() -> serve(selector), "echo-selector");
            loop.start();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int c = 1; c <= clientCount; c++) {
                    SocketChannel client = nio.openSocketChannel();
                    clients.add(client);
                    client.connect(server.getLocalAddress());
                    System.out.println("client " + c + " on " + client.getLocalAddress());
                    threeRoundTrips(client);
                }
                if (hold) {
                    System.out.println("holding the listener and " + clientCount
                            + " connection(s); end standard input (Ctrl-D) to close");
                    while (System.in.read() >= 0) {
                        // held until the input ends
                    }
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            selector.close(); // ends the loop's select
            loop.join();
        }
    }

    private static void threeRoundTrips(SocketChannel client) throws IOException {
        for (int i = 1; i <= 3; i++) {
            ByteBuffer message = ByteBuffer.wrap(("Hello Netstack " + i).getBytes(StandardCharsets.UTF_8));
            int length = message.remaining();
            while (message.hasRemaining()) {
                client.write(message);
            }
            ByteBuffer reply = ByteBuffer.allocate(length);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // a reply may arrive in pieces
            }
            System.out.println("client got back: " + StandardCharsets.UTF_8.decode(reply.flip()));
        }
    }

    /** Accepts, echoes what each connection sends, closes it at its end of stream. */
    private static void serve(Selector selector) {
        try {
            while (selector.isOpen()) {
                selector.select();
                if (!selector.isOpen()) {
                    return;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel accepted = ((ServerSocketChannel) key.channel()).accept();
                        if (accepted != null) {
                            accepted.configureBlocking(false);
                            accepted.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
                        }
                    } else if (key.isReadable() || key.isWritable()) {
                        echo(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            if (selector.isOpen()) {
                e.printStackTrace();
            }
        }
    }

    /** Reads into the connection's buffer and writes it back; waits for OP_WRITE while output is blocked. */
    private static void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        ByteBuffer buffer = (ByteBuffer) key.attachment();
        if (channel.read(buffer) < 0) {
            channel.close();
            return;
        }
        buffer.flip();
        channel.write(buffer);
        buffer.compact();
        key.interestOps(buffer.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }
}
