package io.jnetstack.examples;

import static io.jnetstack.examples.ExampleOutput.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each example as README runs it, checked by what it prints. */
@Timeout(60)
class ExamplesTest {
    private static final String[] THREE_ROUND_TRIPS = {"client got back: Hello Netstack 1", "client got back: Hello Netstack 2",
        "client got back: Hello Netstack 3"};

    @Test
    void tcpEchoDoesThreeRoundTripsAndTracesTheStates() throws Exception {
        String printed = ExampleOutput.of(TcpEcho::main);
        assertContains(printed, THREE_ROUND_TRIPS);
        assertContains(printed, "debug: client CLOSED -> ", "ESTABLISHED  snd.wnd=", "debug: client ESTABLISHED -> FIN_WAIT_1",
                "debug: server ESTABLISHED -> CLOSE_WAIT", "closed; client ");
    }

    @Test
    void selectorEchoServerServesEachOfSeveralClients() throws Exception {
        String printed = ExampleOutput.of(SelectorEchoServer::main, "--clients", "2");
        assertContains(printed, "client 1 on /127.0.0.1:", "client 2 on /127.0.0.1:");
        assertEquals(6, printed.lines().filter(l -> l.startsWith("client got back: Hello Netstack ")).count(), printed);
    }

    @Test
    void selectorEchoServerRejectsAnUnknownArgumentNamingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectorEchoServer.main(new String[] {"--clients", "0"}));
        assertContains(e.getMessage(), "\"--clients\"", "[--clients N] [--hold]");
    }

    @Test
    void udpEchoDoesThreeRoundTrips() throws Exception {
        assertContains(ExampleOutput.of(UdpEcho::main), THREE_ROUND_TRIPS);
    }

    @Test
    void selectorEchoServerDoesThreeRoundTrips() throws Exception {
        assertContains(ExampleOutput.of(SelectorEchoServer::main), THREE_ROUND_TRIPS);
    }

    @Test
    void pingGetsThreeRepliesFromLoopback() throws Exception {
        assertContains(ExampleOutput.of(Ping::main, "127.0.0.1", "3"), "56 bytes from 127.0.0.1: icmp_seq=1",
                "icmp_seq=3", "3 packets transmitted, 3 received");
    }

    @Test
    void httpServerExampleAnswersOnJnetstack() throws Exception {
        // This module's test class path holds the spi jar, whose service file makes jnetstack the provider.
        assertContains(ExampleOutput.of(HttpServerExample::main), "provider io.jnetstack.spi.JnetstackSelectorProvider",
                "/hello -> 200 Hello Netstack over HTTP");
    }
}
