package io.jnetstack.tap.testing;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.NetworkDispatcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A dispatcher that keeps the frames a link delivers, so a test can wait for the one it expects.
 * The kernel sends unrelated frames too (IPv6 router solicitations, MLD reports), so tests look
 * frames up by content rather than by order.
 */
public final class FrameRecorder implements NetworkDispatcher {
    /** Oldest frames are forgotten beyond this, so a chatty peer cannot exhaust memory. */
    private static final int MAX_KEPT = 10_000;

    private final Deque<byte[]> frames = new ArrayDeque<>();

    @Override
    public synchronized void deliverNetworkPacket(PacketBuffer frame) {
        if (frames.size() == MAX_KEPT) {
            frames.removeFirst();
        }
        frames.addLast(frame.toByteArray());
        notifyAll();
    }

    public synchronized List<byte[]> frames() {
        return new ArrayList<>(frames);
    }

    /** The first frame received so far, or within {@code timeout}, that {@code matching} accepts. */
    public synchronized Optional<byte[]> awaitFrame(Predicate<byte[]> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (byte[] frame : frames) {
                if (matching.test(frame)) {
                    return Optional.of(frame);
                }
            }
            long remainingMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (remainingMillis == 0) {
                return Optional.empty();
            }
            wait(remainingMillis);
        }
    }

    /** Like {@link #awaitFrame} but fails the test, listing what did arrive, when no frame matches. */
    public byte[] expectFrame(String what, Predicate<byte[]> matching, Duration timeout) throws InterruptedException {
        return awaitFrame(matching, timeout).orElseThrow(() -> new AssertionError(
                "no " + what + " within " + timeout + "; received " + summary()));
    }

    private synchronized String summary() {
        StringBuilder s = new StringBuilder(frames.size() + " frames");
        frames.stream().limit(20).forEach(f -> s.append("\n  ").append(TestFrames.describe(f)));
        return s.toString();
    }
}
