package io.jnetstack.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordinary HTTP client of the kind a program has: the JDK's HttpClient with connect and
 * request timeouts, trying a GET a few times before it gives up. Nothing here knows about
 * jnetstack; its test ({@code RetryingHttpFetchTest}) runs it on jnetstack's loopback with
 * {@code @Faults} rules to see what it does when the network is slow, resets, or is cut.
 */
public final class RetryingHttpFetch {
    /** Told of each failed attempt, e.g. to log it. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(int attempt, IOException cause);
    }

    /** What a fetch came to: the response (null if every attempt failed) and each failure. */
    public record Outcome(int attempts, HttpResponse<String> response, List<IOException> failures) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final int maxAttempts;
    private final FailureListener listener;

    public RetryingHttpFetch(Duration timeout, int maxAttempts, FailureListener listener) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.listener = listener;
    }

    /** GETs {@code uri}, trying again after a failure (timeout, reset, refused) up to the attempt limit. */
    public Outcome get(URI uri) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).build();
        List<IOException> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return new Outcome(attempt, client.send(request, HttpResponse.BodyHandlers.ofString()), failures);
            } catch (IOException e) {
                failures.add(e);
                listener.failed(attempt, e);
            }
        }
        return new Outcome(maxAttempts, null, failures);
    }

    /** A server for the example on 127.0.0.1:{@code port}: GET /data answers {@code bodyBytes} bytes of 'x'. */
    public static HttpServer serve(int port, int bodyBytes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        server.createContext("/data", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = serve(0, 64 << 10);
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data");
            RetryingHttpFetch fetch = new RetryingHttpFetch(Duration.ofSeconds(5), 3,
                    (attempt, cause) -> System.out.println("attempt " + attempt + " failed: " + cause));
            Outcome outcome = fetch.get(uri);
            System.out.println("GET " + uri + " -> " + (outcome.response() == null ? "failed"
                    : outcome.response().statusCode() + ", " + outcome.response().body().length() + " bytes")
                    + " after " + outcome.attempts() + " attempt(s)");
        } finally {
            server.stop(0);
        }
    }
}
