package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.waiter.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TCP between two dual-stack stacks over IPv6: the handshake, MSS from the IPv6 MTU, data through faults, refusal. */
class TcpOverIpv6Test {
    private static final int PORT = 6001;

    private static TcpProtocol tcp(io.jnetstack.stack.Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    private static TwoStacks stacks(FaultyLink.Faults faults) {
        return TwoStacks.builder().ipv6().transport(TcpProtocol::new)
                .wrapA((link, clock) -> new FaultyLink(link, faults, clock))
                .wrapB((link, clock) -> new FaultyLink(link, faults, clock)).build();
    }

    /** Sends {@code data} from A to B's listener at {@code listenOn}, then closes; returns what B read. */
    private static byte[] send(TwoStacks s, IpAddress listenOn, byte[] data, TcpEndpoint[] ends) throws IOException {
        TcpEndpoint listener = tcp(s.b).newEndpoint();
        listener.bind(listenOn, PORT);
        listener.listen(4);
        TcpEndpoint client = tcp(s.a).newEndpoint();
        client.connect(ADDRESS6_B, PORT);
        TcpEndpoint server = null;
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
        int written = 0;
        boolean eof = false;
        for (int round = 0; !eof; round++) {
            assertTrue(round < 200_000, "the transfer ends within a bounded number of rounds");
            boolean progress = s.settle() > 0;
            if (server == null) {
                server = listener.accept();
            }
            if (server != null && written < data.length) {
                int n = client.write(ByteBuffer.wrap(data, written, data.length - written));
                written += n;
                progress |= n > 0;
                if (written == data.length) {
                    client.shutdownOutput();
                }
            }
            while (server != null) {
                scratch.clear();
                int n = server.read(scratch);
                if (n == -1) {
                    eof = true;
                }
                if (n <= 0) {
                    break;
                }
                received.write(scratch.array(), 0, n);
                progress = true;
            }
            if (!progress && s.wire.pending() == 0) {
                s.advance(Duration.ofMillis(5));
            }
        }
        ends[0] = client;
        ends[1] = server;
        return received.toByteArray();
    }

    @Test
    void aConnectionOverIpv6CarriesDataAndUsesTheIpv6Mss() throws IOException {
        try (TwoStacks s = stacks(FaultyLink.Faults.NONE)) {
            byte[] data = new byte[256 * 1024];
            new Random(6).nextBytes(data);
            TcpEndpoint[] ends = new TcpEndpoint[2];
            assertArrayEquals(data, send(s, IpAddress.IPV6_ANY, data, ends));

            assertEquals(ADDRESS6_A, ends[0].localAddress());
            assertEquals(ADDRESS6_A, ends[1].remoteAddress());
            assertEquals(ADDRESS6_B, ends[1].localAddress());
            // 1500 less the IPv6 header (40) and TCP's (20), less the timestamps option (12).
            assertEquals(1500 - 40 - 20 - 12, ends[0].info().sndMss());
            assertTrue(s.b.stats().get(StackCounter.IPV6_RECEIVED) > 0);
            assertEquals(0, s.b.stats().get(StackCounter.IPV4_RECEIVED));
        }
    }

    @Test
    void everyByteArrivesInOrderThroughLossReorderingAndDuplication() throws IOException {
        FaultyLink.Faults faults = FaultyLink.Faults.builder().loss(0.03).reordering(0.05).duplication(0.01).seed(66).build();
        try (TwoStacks s = stacks(faults)) {
            byte[] data = new byte[512 * 1024];
            new Random(7).nextBytes(data);
            TcpEndpoint[] ends = new TcpEndpoint[2];
            assertArrayEquals(data, send(s, ADDRESS6_B, data, ends));
            assertNotNull(ends[1]);
        }
    }

    @Test
    void connectingToAClosedPortIsRefusedByAnIpv6Reset() throws IOException {
        try (TwoStacks s = stacks(FaultyLink.Faults.NONE)) {
            TcpEndpoint client = tcp(s.a).newEndpoint();
            client.connect(ADDRESS6_B, 9);
            s.settle();
            assertEquals(Events.OUT | Events.ERR, client.readiness(Events.OUT | Events.ERR));
            assertInstanceOf(ConnectException.class, client.getAndClearError());
        }
    }
}
