package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jnetstack.buffer.PacketBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A dispatcher that keeps what it receives, for tests; usable from any delivery thread. */
final class FrameRecorder implements NetworkDispatcher {
    private final BlockingQueue<PacketBuffer> frames = new LinkedBlockingQueue<>();

    @Override
    public void deliverNetworkPacket(PacketBuffer frame) {
        frames.add(frame);
    }

    /** The next frame received, waiting up to 10 s for a delivery thread to bring it. */
    PacketBuffer awaitFrame() throws InterruptedException {
        PacketBuffer f = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(f, "no frame delivered within 10 s");
        return f;
    }

    /** Frames received so far, removing them. */
    List<PacketBuffer> takeAll() {
        List<PacketBuffer> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    /** A frame of {@code length} bytes counting up from {@code first}, built as front + one slice. */
    static PacketBuffer frame(int length, int first) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        int frontLength = length / 2;
        PacketBuffer p = PacketBuffer.withHeadroom(16, b, 0, frontLength);
        p.appendSlice(b, frontLength, length - frontLength);
        return p;
    }
}
