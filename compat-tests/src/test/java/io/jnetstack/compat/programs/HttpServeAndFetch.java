package io.jnetstack.compat.programs;

import java.net.URI;
import java.nio.channels.spi.SelectorProvider;

/**
 * HttpServer and HttpClient in one JVM over 127.0.0.1: writes BYTES pseudo-random bytes to a
 * file, serves it, fetches it, prints the file's and the body's SHA-256. Argument: BYTES.
 */
public final class HttpServeAndFetch {
    private HttpServeAndFetch() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        HttpFileServer.serveWhile(Long.parseLong(args[0]),
                port -> System.out.println(HttpFetch.fetch(URI.create("http://127.0.0.1:" + port + "/file"))));
    }
}
