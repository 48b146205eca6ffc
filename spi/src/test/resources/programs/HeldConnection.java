import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A plain java.nio program that opens a loopback connection, sends the server 5 bytes it never
 * reads, says "ready" with its client's port and holds the connection until its standard input
 * ends (or 60 s pass): something for an operator's tools to look at. It knows nothing of jnetstack.
 */
public class HeldConnection {
    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap("hello".getBytes()));
                System.out.println("ready " + ((InetSocketAddress) client.getLocalAddress()).getPort() + " "
                        + ((InetSocketAddress) server.getLocalAddress()).getPort());
                Thread limit = new Thread(() -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.exit(3);
                });
                limit.setDaemon(true);
                limit.start();
                while (System.in.read() >= 0) {
                    // held until the input ends
                }
            }
        }
    }
}
