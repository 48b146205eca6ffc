package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.MemoryCost;
import io.jnetstack.link.DeliveryMode;
import io.jnetstack.link.LinkType;
import io.jnetstack.link.LoopbackLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.testing.Await;
import io.jnetstack.waiter.Events;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frame arrays a loopback keeps for reuse, and TCP's spare send chunks, count against TCP's
 * memory limit: with room they are kept and charged, with a small limit they are not kept at all.
 * Delivery is inline, so the whole transfer runs on the test's thread.
 */
@Timeout(120)
class LoopbackSpareArraysChargeTest {
    private static final IpAddress LOCALHOST = IpAddress.parse("127.0.0.1");
    private static final int PORT = 7000;
    private static final int SIZE = 4 << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long FRAME_ARRAY_COST = MemoryCost.byteArray(LoopbackLink.DEFAULT_MTU + LinkType.RAW_IP.headerLength());

    @Test
    void sparesKeptForReuseAreChargedToTcpMemory() throws Exception {
        TcpProtocol tcp = new TcpProtocol(TcpConfig.builder().memoryLimit(64L << 20).build());
        LoopbackLink loopback = new LoopbackLink(LoopbackLink.DEFAULT_MTU, DeliveryMode.inline());
        try (Stack stack = stack(tcp, loopback)) {
            transfer(tcp);
            TcpMemory memory = tcp.memory();
            assertTrue(loopback.spareFrameArrays() > 0, "the loopback keeps frame arrays: " + memory);
            assertEquals(loopback.spareFrameArrays() * FRAME_ARRAY_COST + tcp.sendChunks().spareBytes(),
                    memory.spareArraysUsed(), "every spare is charged: " + memory + ", " + tcp.sendChunks());
            assertTrue(tcp.sendChunks().spareArrays() > 0, "send chunks are kept, charged: " + tcp.sendChunks());
            assertTrue(memory.spareArraysUsed() <= memory.spareArraysLimit(), memory.toString());
            assertEquals(memory.spareArraysUsed(), memory.used(), "the connections are gone, the spares stay charged");
        }
    }

    @Test
    void withASmallLimitNoFrameArrayIsKept() throws Exception {
        // A sixteenth of 512 KiB has no room for one 64 KiB frame array.
        TcpProtocol tcp = new TcpProtocol(TcpConfig.builder().memoryLimit(512L << 10).build());
        LoopbackLink loopback = new LoopbackLink(LoopbackLink.DEFAULT_MTU, DeliveryMode.inline());
        try (Stack stack = stack(tcp, loopback)) {
            transfer(tcp);
            assertEquals(0, loopback.spareFrameArrays(), "no frame array is kept: " + tcp.memory());
            assertEquals(tcp.sendChunks().spareBytes(), tcp.memory().spareArraysUsed(), tcp.memory().toString());
            assertTrue(tcp.memory().spareArraysUsed() <= tcp.memory().spareArraysLimit(), tcp.memory().toString());
        }
    }

    private static Stack stack(TcpProtocol tcp, LoopbackLink loopback) {
        Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(tcp).build();
        stack.createNic("lo", loopback).addAddress(new IpSubnet(LOCALHOST, 8));
        return stack;
    }

    /** Sends {@link #SIZE} bytes over a new loopback connection, reads them back, and closes it. */
    private static void transfer(TcpProtocol tcp) throws IOException, InterruptedException {
        TcpEndpoint listener = tcp.newEndpoint();
        listener.bind(LOCALHOST, PORT);
        listener.listen(1);
        TcpEndpoint client = tcp.newEndpoint();
        client.connect(LOCALHOST, PORT); // inline delivery: the handshake completes inside connect
        TcpEndpoint server = listener.accept();
        assertNotNull(server, "the handshake ran inline");
        listener.close();

        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        ByteBuffer out = ByteBuffer.wrap(data);
        ByteBuffer in = ByteBuffer.allocate(SIZE);
        while (in.hasRemaining()) {
            client.write(out); // what the send buffer takes; inline, it reaches the server's receive buffer at once
            // Reading opens the window; the update may wait for the delayed-ACK timer, whose thread then sends more.
            Await.until(server.waiterQueue(), Events.IN, () -> server.available() > 0, WAIT, "data at " + in.position());
            server.read(in);
        }
        assertArrayEquals(data, in.array());
        client.close();
        server.close();
    }
}
