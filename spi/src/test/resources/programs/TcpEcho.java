import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A plain java.nio TCP echo server (one selector, non-blocking) and client (blocking) in one
 * program. It knows nothing of jnetstack; the end-to-end tests run it unmodified with jnetstack's
 * provider, and the TAP test hands its server to the kernel's nc.
 */
public class TcpEcho {
    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        if (args.length == 3 && args[0].equals("serve")) {
            serveFor(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread echo = new Thread(() -> serve(server));
        echo.setDaemon(true);
        echo.start();

        try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            for (int i = 1; i <= 3; i++) {
                String line = "Hello Netstack " + i + "\n";
                client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                ByteBuffer reply = ByteBuffer.allocate(line.length());
                while (reply.hasRemaining() && client.read(reply) >= 0) {
                    // a reply may come in pieces
                }
                reply.flip();
                System.out.print("echo " + StandardCharsets.UTF_8.decode(reply));
            }
        }
        server.close();
    }

    /** Serves on every address at {@code port} until {@code seconds} have passed, then exits. */
    static void serveFor(int port, int seconds) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(port));
        System.out.println("listening on " + server.getLocalAddress());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        serve(server);
    }

    /** Echoes the bytes of every connection to {@code server} back to it, until the thread is interrupted. */
    public static void serve(ServerSocketChannel server) {
        try (Selector selector = server.provider().openSelector()) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(); // an interrupt wakes it
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel connection = server.accept();
                        if (connection != null) {
                            connection.configureBlocking(false);
                            connection.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(8192));
                        }
                    } else if (key.isReadable()) {
                        echo(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void echo(SelectionKey key) throws IOException {
        SocketChannel connection = (SocketChannel) key.channel();
        ByteBuffer buffer = (ByteBuffer) key.attachment();
        buffer.clear();
        if (connection.read(buffer) < 0) {
            connection.close();
            return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            connection.write(buffer); // small echoes: the send buffer has room
        }
    }
}
