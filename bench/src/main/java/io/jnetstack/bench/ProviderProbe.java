package io.jnetstack.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Checks, in a JVM started like a benchmark column's, that its selector provider can do what
 * NioBench needs (listen, connect and accept over TCP on 127.0.0.1), so the runner can skip a
 * column whose provider is not ready with one clear line instead of a failed run per rep.
 * Prints {@code ok PROVIDER} and exits 0, or prints why not and exits 1.
 */
public final class ProviderProbe {
    private ProviderProbe() {
    }

    public static void main(String[] args) {
        String provider = SelectorProvider.provider().getClass().getName();
        Watchdog.start("ProviderProbe", 10);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                if (!client.isConnected() || accepted == null) {
                    throw new IllegalStateException("connect or accept did not complete");
                }
            }
            System.out.println("ok " + provider);
            System.exit(0);
        } catch (Exception | Error e) {
            System.out.println(provider + " cannot connect over TCP: " + e);
            System.exit(1);
        }
    }
}
