package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a wrapping link attaches to the link it wraps: received frames go to the wrapper's own
 * handler, and everything else the link says (a batch's end, a thread failure, the link's failure)
 * goes on unchanged to the dispatcher the wrapper was attached to. A plain lambda would be a
 * dispatcher too, but one that silently drops those other calls.
 */
public final class FrameInterceptor implements NetworkDispatcher {
    private final Consumer<PacketBuffer> frames;
    private final NetworkDispatcher target;

    public FrameInterceptor(Consumer<PacketBuffer> frames, NetworkDispatcher target) {
        this.frames = Objects.requireNonNull(frames, "frames");
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public void deliverNetworkPacket(PacketBuffer frame) {
        frames.accept(frame);
    }

    @Override
    public void batchEnded() {
        target.batchEnded();
    }

    @Override
    public void linkThreadFailed(Throwable cause) {
        target.linkThreadFailed(cause);
    }

    @Override
    public void linkFailed(IOException cause) {
        target.linkFailed(cause);
    }
}
