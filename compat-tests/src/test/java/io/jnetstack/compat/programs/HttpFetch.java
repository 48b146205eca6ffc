package io.jnetstack.compat.programs;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.time.Duration;

/** The JDK's HttpClient fetching a URL and printing the status, size and SHA-256 of the body. Argument: URL. */
public final class HttpFetch {
    private HttpFetch() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("provider " + SelectorProvider.provider().getClass().getName());
        System.out.println(fetch(URI.create(args[0])));
    }

    /** "fetched URL status S bytes N sha256 HEX". */
    public static String fetch(URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = Digests.sha256();
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = body.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
        }
        return "fetched " + uri + " status " + response.statusCode() + " bytes " + bytes + " sha256 " + Digests.hex(digest);
    }
}
