package io.jnetstack.examples;

import io.jnetstack.spi.JnetstackSelectorProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * A UDP echo server and client with java.nio's DatagramChannel on jnetstack: three
 * "Hello Netstack" datagrams go out and come back.
 *
 * <p>The channels come from a {@link JnetstackSelectorProvider} because "mvn exec:java" runs this
 * inside Maven's JVM, whose default provider is the JDK's. A program started with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.jnetstack.spi.JnetstackSelectorProvider}
 * just calls {@code DatagramChannel.open()}.
 */
public final class UdpEcho {
    private UdpEcho() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider nio = new JnetstackSelectorProvider();
        try (DatagramChannel server = nio.openDatagramChannel(); DatagramChannel client = nio.openDatagramChannel()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            System.out.println("UDP echo server on " + server.getLocalAddress());
            client.connect(server.getLocalAddress());
            for (int i = 1; i <= 3; i++) {
                client.write(ByteBuffer.wrap(("Hello Netstack " + i).getBytes(StandardCharsets.UTF_8)));
                ByteBuffer request = ByteBuffer.allocate(1500);
                SocketAddress from = server.receive(request);
                server.send(request.flip(), from);
                ByteBuffer reply = ByteBuffer.allocate(1500);
                client.read(reply);
                System.out.println("client got back: " + StandardCharsets.UTF_8.decode(reply.flip()));
            }
        }
    }
}
