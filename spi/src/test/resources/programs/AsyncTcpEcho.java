import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A plain asynchronous-channel TCP echo: a server that echoes with completion handlers and a
 * client that uses futures, in one program. It knows nothing of jnetstack; the end-to-end tests
 * run it unmodified with only the -all jar on the class path.
 */
public class AsyncTcpEcho {
    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        System.out.println("asyncProvider " + AsynchronousChannelProvider.provider().getClass().getName());
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel connection, Void unused) {
                echo(connection, ByteBuffer.allocate(1024));
            }

            @Override
            public void failed(Throwable exc, Void unused) {
                exc.printStackTrace();
            }
        });
        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            client.connect(server.getLocalAddress()).get();
            for (int i = 1; i <= 3; i++) {
                String line = "Hello Netstack " + i + "\n";
                ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    client.write(out).get();
                }
                ByteBuffer reply = ByteBuffer.allocate(line.length());
                while (reply.hasRemaining() && client.read(reply).get() >= 0) {
                    // a reply may come in pieces
                }
                reply.flip();
                System.out.print("echo " + StandardCharsets.UTF_8.decode(reply));
            }
        }
        server.close();
    }

    /** Reads, writes back what came, and reads again, until the end of stream. */
    static void echo(AsynchronousSocketChannel connection, ByteBuffer buffer) {
        connection.read(buffer.clear(), null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void unused) {
                if (n < 0) {
                    return;
                }
                buffer.flip();
                try {
                    while (buffer.hasRemaining()) {
                        connection.write(buffer).get();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    return;
                }
                echo(connection, buffer);
            }

            @Override
            public void failed(Throwable exc, Void unused) {
                exc.printStackTrace();
            }
        });
    }
}
