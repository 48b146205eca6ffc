package io.jnetstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jnetstack.junit.Faults;
import io.jnetstack.junit.FaultsExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unmodified {@link RetryingHttpFetch} meeting faults on jnetstack's loopback through
 * {@code @Faults}: the JDK's HttpClient and HttpServer both run on the default stack (this
 * module's test class path holds the spi jar, whose service file makes jnetstack the provider).
 * Only lower bounds of time are asserted, which the injected latency guarantees.
 */
@Timeout(120)
class RetryingHttpFetchTest {
    private static final int PORT = 18081;
    private static final int BODY_BYTES = 64 << 10;
    private static final URI DATA = URI.create("http://127.0.0.1:" + PORT + "/data");
    private static HttpServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RetryingHttpFetch.serve(PORT, BODY_BYTES);
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static void assertWholeBody(RetryingHttpFetch.Outcome outcome) {
        assertEquals(200, outcome.response().statusCode());
        assertEquals(BODY_BYTES, outcome.response().body().length());
    }

    @Test
    void withoutFaultsTheFirstAttemptGetsTheWholeBody() throws InterruptedException {
        RetryingHttpFetch.Outcome outcome = new RetryingHttpFetch(Duration.ofSeconds(30), 3, (n, e) -> { }).get(DATA);
        assertEquals(1, outcome.attempts());
        assertWholeBody(outcome);
    }

    @Test
    @Faults("tcp:port=" + PORT + ":latency=100ms")
    void latencyUnderTheTimeoutSlowsTheFetchButItSucceedsFirstTime() throws InterruptedException {
        long start = System.nanoTime();
        RetryingHttpFetch.Outcome outcome = new RetryingHttpFetch(Duration.ofSeconds(30), 3, (n, e) -> { }).get(DATA);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, outcome.attempts());
        assertWholeBody(outcome);
        // Every packet waits 100 ms, so a round trip takes 200 ms: the handshake and the request make two.
        assertTrue(elapsedMillis >= 400, "took " + elapsedMillis + " ms");
    }

    @Test
    @Faults("tcp:port=" + PORT + ":latency=300ms")
    void latencyOverTheTimeoutTimesOutEveryAttempt() throws InterruptedException {
        RetryingHttpFetch.Outcome outcome = new RetryingHttpFetch(Duration.ofMillis(500), 3, (n, e) -> { }).get(DATA);
        assertNull(outcome.response());
        assertEquals(3, outcome.failures().size());
        for (IOException failure : outcome.failures()) {
            assertInstanceOf(HttpTimeoutException.class, failure, "a 600 ms round trip cannot beat a 500 ms timeout");
        }
    }

    @Test
    @Faults("tcp:port=" + PORT + ":reset=16k")
    void aResetPartWayThroughTheBodyFailsEachAttemptAfterSomeOfIt() throws InterruptedException {
        RetryingHttpFetch.Outcome outcome = new RetryingHttpFetch(Duration.ofSeconds(30), 3, (n, e) -> { }).get(DATA);
        assertNull(outcome.response(), "no attempt got the whole body");
        assertEquals(3, outcome.failures().size());
        for (IOException failure : outcome.failures()) {
            assertFalse(failure instanceof HttpTimeoutException, "a reset fails at once, not by timing out: " + failure);
        }
        System.out.println("a reset seen by HttpClient: " + outcome.failures().get(0));
    }

    @Test
    @Faults("tcp:port=" + PORT + ":blackhole")
    void aPartitionThatHealsAfterTheFirstAttemptIsRiddenOutByTheRetry() throws InterruptedException {
        RetryingHttpFetch fetch = new RetryingHttpFetch(Duration.ofMillis(500), 3, (attempt, cause) -> {
            if (attempt == 1) {
                FaultsExtension.defaultStackFaults().remove("tcp:port=" + PORT + ":blackhole"); // the cable is back
            }
        });
        RetryingHttpFetch.Outcome outcome = fetch.get(DATA);
        assertEquals(2, outcome.attempts());
        assertInstanceOf(HttpConnectTimeoutException.class, outcome.failures().get(0), "the SYNs vanished");
        assertWholeBody(outcome);
    }

    @Test
    void theExampleRunsOnItsOwn() throws Exception {
        ExampleOutput.assertContains(ExampleOutput.of(RetryingHttpFetch::main), "-> 200, 65536 bytes after 1 attempt(s)");
    }
}
