package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.tap.testing.BlockingTcp;
import io.jnetstack.tap.testing.HashedDuplexTransfer;
import io.jnetstack.tap.testing.HashedDuplexTransfer.Fin;
import io.jnetstack.tap.testing.KernelHashedNc;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.time.SystemClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-queue TAP device: several kernel connections at once, chosen so that our flow hash sends
 * two of them through each queue, all arrive byte-exact both ways; both queues carry frames both
 * ways (the kernel steers a flow's frames to the queue we write it on).
 */
class TapMultiQueueKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int QUEUES = 2;
    private static final int PORT = 8080;
    private static final int CONNECTIONS_PER_QUEUE = 2;
    private static final long STREAM_BYTES = 1 << 20;
    private static final int FIRST_CLIENT_PORT = 40000;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer(TapLink.DEFAULT_MTU, TapLink.Offload.AUTO, QUEUES);

    @TempDir
    Path scratch;

    private final SystemClock clock = new SystemClock();
    private final TcpProtocol tcp = new TcpProtocol();
    private final ExecutorService transfers = Executors.newCachedThreadPool();
    private Stack stack;

    @AfterEach
    void stop() {
        transfers.shutdownNow();
        if (stack != null) {
            stack.close();
        }
        clock.shutdown();
    }

    @Test
    void connectionsSpreadOverTwoQueuesAllArriveIntact() throws Exception {
        TapLink link = peer.link();
        assertEquals(QUEUES, link.queueCount());
        stack = Stack.builder().network(NetworkProtocols.ipv4()).clock(clock).transport(tcp).build();
        stack.createNic("tap", link).addAddress(new IpSubnet(IpAddress.of(KernelPeer.STACK_ADDRESS), KernelPeer.PREFIX_LENGTH));
        TcpEndpoint listener = BlockingTcp.listen(tcp, PORT);

        List<Future<?>> done = new ArrayList<>();
        for (int clientPort : clientPortsSpreadOverQueues()) {
            KernelHashedNc nc = KernelHashedNc.start(peer, Files.createTempDirectory(scratch, "nc"), STREAM_BYTES,
                    "-p", Integer.toString(clientPort), KernelPeer.STACK_ADDRESS.getHostAddress(), Integer.toString(PORT));
            TcpEndpoint connection = BlockingTcp.accept(listener, TIMEOUT);
            done.add(transfers.submit(() -> {
                HashedDuplexTransfer.Result ours = HashedDuplexTransfer.run(connection, STREAM_BYTES, clientPort,
                        Fin.AFTER_LAST_BYTE, TIMEOUT);
                KernelHashedNc.Digests kernels = nc.awaitDigests(TIMEOUT);
                assertEquals(ours.sentSha256(), kernels.received(), "SHA-256 of jnetstack -> kernel, port " + clientPort);
                assertEquals(kernels.sent(), ours.receivedSha256(), "SHA-256 of kernel -> jnetstack, port " + clientPort);
                connection.close();
                return null;
            }));
        }
        for (Future<?> transfer : done) {
            transfer.get();
        }
        for (int q = 0; q < QUEUES; q++) {
            int queue = q;
            assertTrue(link.framesWritten(q) > 0 && link.framesRead(q) > 0,
                    () -> "queue " + queue + " carried frames: written " + link.framesWritten(queue) + ", read " + link.framesRead(queue));
        }
        listener.close();
    }

    /** Client ports whose connections our flow hash puts on each queue, CONNECTIONS_PER_QUEUE each. */
    private static List<Integer> clientPortsSpreadOverQueues() {
        int[] perQueue = new int[QUEUES];
        List<Integer> ports = new ArrayList<>();
        for (int port = FIRST_CLIENT_PORT; ports.size() < QUEUES * CONNECTIONS_PER_QUEUE; port++) {
            int queue = TapLink.queueFor(ourSegmentTo(port), QUEUES);
            if (perQueue[queue] < CONNECTIONS_PER_QUEUE) {
                perQueue[queue]++;
                ports.add(port);
            }
        }
        return ports;
    }

    /** The first bytes of a frame of ours on the connection from the kernel's {@code clientPort}: Ethernet, IPv4, ports. */
    private static PacketBuffer ourSegmentTo(int clientPort) {
        byte[] f = new byte[14 + 20 + 20];
        f[12] = 0x08; // IPv4
        f[14] = 0x45;
        f[14 + 9] = 6; // TCP
        System.arraycopy(KernelPeer.STACK_ADDRESS.getAddress(), 0, f, 14 + 12, 4);
        System.arraycopy(KernelPeer.KERNEL_ADDRESS.getAddress(), 0, f, 14 + 16, 4);
        f[34] = (byte) (PORT >> 8);
        f[35] = (byte) PORT;
        f[36] = (byte) (clientPort >> 8);
        f[37] = (byte) clientPort;
        return PacketBuffer.wrap(f, 0, f.length);
    }
}
