package io.jnetstack.compat.programs;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * HttpServer and HttpClient in one JVM over 127.0.0.1: writes BYTES pseudo-random bytes to a
 * file, serves it, fetches it, prints the file's and the body's SHA-256. Argument: BYTES.
 */
public final class HttpServeAndFetch {
    private HttpServeAndFetch() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        long length = Long.parseLong(args[0]);
        Path file = Files.createTempFile("served", ".bin");
        try {
            Digests.writeFile(file, length);
            System.out.println("file sha256 " + Digests.expected(length));
            HttpServer server = HttpFileServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), file, new CountDownLatch(1));
            try {
                System.out.println(HttpFetch.fetch(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/file")));
            } finally {
                server.stop(0);
            }
        } finally {
            Files.delete(file);
        }
    }
}
