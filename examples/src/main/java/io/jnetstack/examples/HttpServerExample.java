package io.jnetstack.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's HttpServer answering GET /hello, fetched once by the JDK's HttpClient. Both use
 * {@code SelectorProvider.provider()}, so they run on jnetstack when the JVM is started with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.jnetstack.spi.JnetstackSelectorProvider} and
 * the -all jar (or with the spi jar on the class path); the program prints which provider it got.
 * Inside "mvn exec:java" the provider is Maven's JVM's, the JDK's.
 */
public final class HttpServerExample {
    private HttpServerExample() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "Hello Netstack over HTTP\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.print("GET " + uri + " -> " + response.statusCode() + " " + response.body());
        } finally {
            server.stop(0);
        }
    }
}
