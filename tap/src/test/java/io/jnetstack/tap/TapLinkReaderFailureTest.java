package io.jnetstack.tap;

import static io.jnetstack.tap.testing.KernelPeer.STACK_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.NetworkDispatcher;
import io.jnetstack.tap.testing.FrameRecorder;
import io.jnetstack.tap.testing.KernelPeer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TAP reader thread never dies of an unexpected Throwable: an OutOfMemoryError while a frame is
 * delivered loses that frame, is reported to the dispatcher (a NIC counts and logs it), and the
 * reader goes on reading what the kernel sends. Only a device that fails stops it, and that is
 * reported to the dispatcher as a link failure naming the device.
 */
class TapLinkReaderFailureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @Test
    void readerGoesOnAfterOutOfMemoryErrorWhileDelivering() throws Exception {
        FrameRecorder afterFailure = new FrameRecorder();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        peer.link().attach(new NetworkDispatcher() {
            @Override
            public void deliverNetworkPacket(PacketBuffer frame) {
                if (failed.compareAndSet(false, true)) {
                    throw new OutOfMemoryError("injected");
                }
                afterFailure.deliverNetworkPacket(frame);
            }

            @Override
            public void linkThreadFailed(Throwable cause) {
                reported.add(cause);
            }
        });

        // The kernel asks for the stack's address by ARP, once a second, while ping waits.
        peer.exec(TIMEOUT, "ping", "-c", "2", "-W", "1", STACK_ADDRESS.getHostAddress());

        assertTrue(afterFailure.awaitFrame(frame -> true, TIMEOUT).isPresent(), "frames after the failure arrive");
        assertEquals(1, reported.size());
        assertInstanceOf(OutOfMemoryError.class, reported.get(0));
        assertEquals(1, peer.link().stats().dropped().frames());
    }

    @Test
    void deviceDeletedUnderTheReaderIsReportedAsALinkFailureNamingIt() throws Exception {
        CompletableFuture<IOException> linkFailure = new CompletableFuture<>();
        peer.link().attach(new NetworkDispatcher() {
            @Override
            public void deliverNetworkPacket(PacketBuffer frame) {
            }

            @Override
            public void linkFailed(IOException cause) {
                linkFailure.complete(cause);
            }
        });

        peer.exec(TIMEOUT, "ip", "link", "del", "dev", peer.deviceName()).requireSuccess();

        IOException cause = linkFailure.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(cause.getMessage().startsWith("TAP device " + peer.deviceName() + ": "), cause.getMessage());
        assertEquals(1, peer.link().stats().readErrors());
    }
}
