import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A plain java.nio UDP echo server (selector, non-blocking) and client (blocking) in one program.
 * It knows nothing of jnetstack; the end-to-end test runs it unmodified with jnetstack's provider.
 */
public class UdpEcho {
    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        DatagramChannel server = DatagramChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_READ);
        Thread echo = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(1500);
            try {
                while (selector.isOpen()) {
                    selector.select();
                    if (!selector.isOpen()) {
                        return;
                    }
                    selector.selectedKeys().clear();
                    buffer.clear();
                    SocketAddress from = server.receive(buffer);
                    if (from != null) {
                        buffer.flip();
                        server.send(buffer, from);
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        echo.setDaemon(true);
        echo.start();

        DatagramChannel client = DatagramChannel.open();
        client.connect(server.getLocalAddress());
        for (int i = 1; i <= 3; i++) {
            client.write(ByteBuffer.wrap(("Hello Netstack " + i).getBytes(StandardCharsets.UTF_8)));
            ByteBuffer reply = ByteBuffer.allocate(1500);
            client.read(reply);
            reply.flip();
            System.out.println("echo " + StandardCharsets.UTF_8.decode(reply));
        }
        client.close();
        selector.close();
        server.close();
    }
}
