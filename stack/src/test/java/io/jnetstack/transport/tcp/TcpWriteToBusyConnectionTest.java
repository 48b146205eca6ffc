package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.testing.TwoStacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A write hands the connection its output as one task that is queued at most once: on a connection
 * run by a processor (every task queued), writes allocate no backlog node each, and what they wrote
 * all goes out.
 */
class TcpWriteToBusyConnectionTest {
    private static final int PORT = 80;
    private static final int WRITES = 20_000;

    private static TcpProtocol tcp(Stack s) {
        return (TcpProtocol) s.transport(TcpProtocol.PROTOCOL_NUMBER);
    }

    @Test
    void writesQueueNoNodeEachAndEveryByteArrives() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpEndpoint listener = tcp(net.b).newEndpoint();
            listener.bind(IpAddress.IPV4_ANY, PORT);
            listener.listen(1);
            TcpEndpoint client = tcp(net.a).newEndpoint();
            client.setSendBufferSize(1 << 20);
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server);

            // Nagle holds the bytes after the first until it is acknowledged: each write runs output, which sends nothing.
            ByteBuffer one = ByteBuffer.allocate(1);
            double bytesPerWrite = ThreadAllocation.averageBytesPerStep(WRITES, i -> {
                one.clear();
                one.put(0, (byte) i);
                try {
                    assertEquals(1, client.write(one));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertTrue(bytesPerWrite < 8, "a write allocates no backlog node, got " + bytesPerWrite + " bytes per write");

            byte[] expected = new byte[2 * WRITES];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) (i % WRITES);
            }
            ByteBuffer received = ByteBuffer.allocate(expected.length);
            for (int round = 0; round < 10_000 && received.hasRemaining(); round++) {
                net.advance(Duration.ofMillis(10)); // the delayed ACKs that let Nagle's held bytes go
                server.read(received);
            }
            assertArrayEquals(expected, received.array());
        }
    }
}
