package io.jnetstack.transport.tcp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.link.LinkType;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.testing.TwoStacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bulk transfer between two stacks on a {@link io.jnetstack.link.PipeLink} reuses its arrays:
 * the link copies each full-sized frame into an array of the receiving end's pool, which the
 * receive buffer gives back once read, and the sender's send-buffer chunks come back to TCP's pool
 * once acknowledged, ARP and all. Before, each 64 KiB write cost a new array per frame and new
 * chunks: more than twice the bytes written.
 */
class PipeBulkTransferAllocationTest {
    private static final int PORT = 9100;
    private static final int WRITE = 64 * 1024;
    private static final int WRITES = 200;
    /** Rounds of write, deliver, read one write may take before the test calls it stuck. */
    private static final int MAX_ROUNDS_PER_WRITE = 1_000;
    /**
     * Three quarters of the bytes written. New frame arrays (about 45 of 1,514 bytes a write) or
     * new send chunks (64 KiB a write) would each add about a write's worth to what is still made
     * per segment (headers and packet objects, about 30 KB a write at 1500 MTU), exceeding it.
     */
    private static final double ALLOWED_BYTES_PER_WRITE = WRITE * 3 / 4.0;

    @Test
    void bulkWritesAllocateNoArrayPerFrameOrChunk() throws Exception {
        try (TwoStacks net = TwoStacks.builder().transport(TcpProtocol::new).build()) {
            TcpProtocol tcpA = (TcpProtocol) net.a.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpProtocol tcpB = (TcpProtocol) net.b.transport(TcpProtocol.PROTOCOL_NUMBER);
            TcpEndpoint listener = tcpB.newEndpoint();
            listener.bind(ADDRESS_B, PORT);
            listener.listen(1);
            TcpEndpoint client = tcpA.newEndpoint();
            client.setNoDelay(true);
            client.connect(ADDRESS_B, PORT);
            net.settle();
            TcpEndpoint server = listener.accept();
            assertNotNull(server, "accepted");

            ByteBuffer out = ByteBuffer.allocate(WRITE);
            ByteBuffer in = ByteBuffer.allocate(WRITE);
            for (int i = 0; i < WRITE; i++) {
                out.put(i, (byte) (i * 31 + 7));
            }
            double perWrite = ThreadAllocation.averageBytesPerStep(WRITES, i -> transferOneWrite(net, client, server, out, in));

            assertArrayEquals(out.array(), in.array(), "the last write arrived intact");
            long frameArrayCost = MemoryCost.byteArray(1500 + LinkType.ETHERNET.headerLength());
            assertTrue(net.pipe.b().spareFrameArrays() > 0, "B keeps the frame arrays it read for the next frames");
            assertEquals(net.pipe.b().spareFrameArrays() * frameArrayCost + tcpB.sendChunks().spareBytes(),
                    tcpB.memory().spareArraysUsed(), "B's spare frame arrays are charged to B's TCP memory");
            assertTrue(perWrite <= ALLOWED_BYTES_PER_WRITE, perWrite + " bytes allocated per " + WRITE + "-byte write");
        }
    }

    /** Writes {@code out} whole on {@code client} and reads it whole into {@code in} on {@code server}. */
    private static void transferOneWrite(TwoStacks net, TcpEndpoint client, TcpEndpoint server, ByteBuffer out, ByteBuffer in) {
        out.clear();
        in.clear();
        try {
            for (int round = 0; round < MAX_ROUNDS_PER_WRITE; round++) {
                int written = client.write(out);
                net.settle();
                int read = server.read(in);
                net.settle();
                if (!in.hasRemaining()) {
                    return;
                }
                if (written == 0 && read == 0) {
                    // Nothing moved: a window update or ACK waits on the delayed-ACK timer; let it fire.
                    net.advance(Duration.ofMillis(200));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fail("a write of " + WRITE + " bytes did not arrive in " + MAX_ROUNDS_PER_WRITE + " rounds: " + in);
    }
}
