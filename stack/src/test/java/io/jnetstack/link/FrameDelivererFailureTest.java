package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jnetstack.buffer.PacketBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A delivery thread whose dispatcher throws, even OutOfMemoryError, drops that frame and delivers the next one itself. */
class FrameDelivererFailureTest {
    @Test
    void deliveryThreadSurvivesADispatcherThatThrowsOutOfMemoryError() throws Exception {
        CompletableFuture<Thread> failedOn = new CompletableFuture<>();
        CompletableFuture<Thread> nextOn = new CompletableFuture<>();
        CompletableFuture<byte[]> next = new CompletableFuture<>();
        AtomicBoolean failed = new AtomicBoolean();
        try (PipeLink.Pair pipe = PipeLink.pair(1500)) {
            pipe.b().attach(frame -> {
                if (failed.compareAndSet(false, true)) {
                    failedOn.complete(Thread.currentThread());
                    throw new OutOfMemoryError("injected");
                }
                nextOn.complete(Thread.currentThread());
                next.complete(frame.toByteArray());
            });
            pipe.a().writeFrame(FrameRecorder.frame(60, 1));
            pipe.a().writeFrame(FrameRecorder.frame(60, 2));

            assertSame(failedOn.get(10, TimeUnit.SECONDS), nextOn.get(10, TimeUnit.SECONDS));
            assertArrayEquals(FrameRecorder.frame(60, 2).toByteArray(), next.get());
        }
    }
}
