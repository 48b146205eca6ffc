package io.jnetstack.compat.programs;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The JDK's HttpServer serving one file at /file, as any program would write it.
 * Arguments: BIND_ADDRESS PORT FILE REQUESTS — it stops after serving REQUESTS requests.
 */
public final class HttpFileServer {
    private HttpFileServer() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        CountDownLatch served = new CountDownLatch(Integer.parseInt(args[3]));
        HttpServer server = start(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])), Path.of(args[2]), served);
        System.out.println("serving " + args[2] + " on " + server.getAddress());
        served.await();
        server.stop(1);
        System.out.println("served " + args[3] + " request(s)");
    }

    /** What a program does while a file is served at http://127.0.0.1:PORT/file. */
    @FunctionalInterface
    public interface Client {
        void fetch(int port) throws Exception;
    }

    /**
     * Writes {@code length} pseudo-random bytes to a temporary file, prints its SHA-256
     * ({@code file sha256 HEX}), serves it on 127.0.0.1 while {@code client} runs, then stops and
     * deletes it.
     */
    public static void serveWhile(long length, Client client) throws Exception {
        Path file = Files.createTempFile("served", ".bin");
        try {
            Digests.writeFile(file, length);
            System.out.println("file sha256 " + Digests.expected(length));
            HttpServer server = start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), file, new CountDownLatch(1));
            try {
                client.fetch(server.getAddress().getPort());
            } finally {
                server.stop(0);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Starts a server for {@code file} at /file; each response counts down {@code served}. */
    public static HttpServer start(InetSocketAddress address, Path file, CountDownLatch served) throws Exception {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/file", exchange -> {
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
            served.countDown();
        });
        server.start();
        return server;
    }
}
