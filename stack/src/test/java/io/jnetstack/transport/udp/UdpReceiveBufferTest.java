package io.jnetstack.transport.udp;

import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static io.jnetstack.transport.udp.UdpFixtures.receiveAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.TwoStacks;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receive queue's bound (SO_RCVBUF): datagrams arriving while it is over its limit are dropped
 * and counted, as Linux drops them ({@code UdpRcvbufErrors}), and the endpoint keeps serving.
 */
class UdpReceiveBufferTest {
    private static final int PORT = 6000;

    private final TwoStacks net = TwoStacks.create();
    private final UdpEndpoint receiver;
    private final UdpEndpoint sender = net.udpA.newEndpoint();

    UdpReceiveBufferTest() throws Exception {
        receiver = UdpFixtures.bound(net.udpB, IpAddress.IPV4_ANY, PORT);
    }

    @AfterEach
    void close() {
        net.close();
    }

    /**
     * Sends {@code count} datagrams of {@code size} bytes, each filled with its index, one at a time
     * so that none waits in the ARP queue (whose own limit is not under test here).
     */
    private void send(int count, int size) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[size];
            Arrays.fill(data, (byte) i);
            sender.send(ByteBuffer.wrap(data), ADDRESS_B, PORT);
            net.settle();
        }
    }

    private int receiveCount() throws Exception {
        int n = 0;
        while (receiver.receive() != null) {
            n++;
        }
        return n;
    }

    private long dropped() {
        return net.b.stats().get(StackCounter.UDP_RECEIVE_BUFFER_ERRORS);
    }

    @Test
    void datagramsArrivingWhileTheQueueIsOverItsLimitAreDroppedAndCounted() throws Exception {
        receiver.setReceiveBufferSize(1000);

        send(5, 600); // the first two fit (the second takes the queue over its limit), the rest do not

        assertEquals(2, receiveCount());
        assertEquals(3, dropped());
    }

    @Test
    void theOldestDatagramsAreKeptAndTheLatestDropped() throws Exception {
        receiver.setReceiveBufferSize(1000);

        send(3, 600);

        assertEquals(0, receiver.receive().data()[0]);
        assertEquals(1, receiver.receive().data()[0]);
    }

    @Test
    void theEndpointReceivesAgainOnceTheQueueIsRead() throws Exception {
        receiver.setReceiveBufferSize(1000);
        send(5, 600);
        receiveCount();

        sender.send(UdpFixtures.payload("after the flood"), ADDRESS_B, PORT);
        net.settle();

        assertEquals(List.of("after the flood"), receiveAll(receiver));
        assertEquals(3, dropped());
    }

    @Test
    void aFloodOfFullSizedDatagramsFillsTheDefaultBufferAndNoMore() throws Exception {
        int datagrams = 1000;
        int size = 1000;

        send(datagrams, size);

        int queued = receiveCount();
        // Each datagram is charged its true cost (more than its payload); the last one accepted goes over.
        assertEquals(UdpEndpoint.DEFAULT_RECEIVE_BUFFER / UdpEndpoint.charge(size) + 1, queued);
        assertEquals(datagrams - queued, dropped());
    }

    @Test
    void aFloodOfEmptyDatagramsMeetsTheLimitToo() throws Exception {
        int datagrams = 2000;
        receiver.setReceiveBufferSize(4096);

        send(datagrams, 0);

        int queued = receiveCount();
        assertTrue(queued < datagrams / 10, queued + " empty datagrams queued in a 4096-byte receive buffer");
        assertEquals(datagrams - queued, dropped());
    }

    @Test
    void aNonPositiveReceiveBufferSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> receiver.setReceiveBufferSize(0));
        assertEquals(UdpEndpoint.DEFAULT_RECEIVE_BUFFER, receiver.receiveBufferSize());
    }
}
