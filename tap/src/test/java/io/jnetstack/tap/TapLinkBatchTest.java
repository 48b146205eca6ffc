package io.jnetstack.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.link.NetworkDispatcher;
import io.jnetstack.tap.testing.KernelPeer;
import io.jnetstack.tap.testing.KernelPython;
import io.jnetstack.tap.testing.NamespaceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TAP reader's batches and its pooled frame arrays, with the kernel writing bursts of numbered
 * frames into the device (burst_frames.py) from its namespace.
 */
class TapLinkBatchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** IEEE 802's local experimental EtherType: no protocol of the kernel's sends it. */
    private static final int ETHERTYPE_LOCAL_EXPERIMENTAL = 0x88B5;
    private static final int ETHERNET_HEADER = 14;
    /** At least half a pooled array (MTU 1500): such frames come up in pooled arrays. */
    private static final int LARGE_FRAME = 1000;
    /** Well under half a pooled array: such frames get arrays of their own length. */
    private static final int SMALL_FRAME = 60;

    @RegisterExtension
    final KernelPeer peer = new KernelPeer();

    @TempDir
    Path scratch;

    @Test
    void aBurstQueuedInTheDeviceIsDeliveredCompleteAndInOrderInFewBatches() throws Exception {
        int count = 300; // under the device's queue of 500 frames, so the kernel drops none
        BurstCatcher catcher = new BurstCatcher(true);
        peer.link().attach(catcher);

        try (NamespaceProcess burst = startBurst(0, count, LARGE_FRAME, SMALL_FRAME)) {
            assertTrue(catcher.firstArrived.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the burst's first frame");
            // The reader is held inside the first delivery, so the rest of the burst queues in the device.
            assertEquals(OptionalInt.of(0), burst.awaitExit(TIMEOUT), burst::output);
            long batchesBefore = peer.link().stats().batches();
            catcher.release.countDown();

            List<PacketBuffer> frames = catcher.awaitFrames(count, TIMEOUT);
            for (int i = 0; i < count; i++) {
                assertNumberedFrame(i, i % 2 == 0 ? LARGE_FRAME : SMALL_FRAME, frames.get(i));
            }
            long batches = peer.link().stats().batches() - batchesBefore;
            int atMost = (count + TapLink.MAX_FRAMES_PER_WAKEUP - 1) / TapLink.MAX_FRAMES_PER_WAKEUP + 2;
            assertTrue(batches <= atMost, "the queued frames came in " + batches + " batches, expected at most " + atMost
                    + " (a few of the kernel's own frames may make their own)");
        }
    }

    @Test
    void pooledArraysAreHandedOutAgainOnlyOnceGivenBack() throws Exception {
        int count = 40;
        BurstCatcher catcher = new BurstCatcher(false);
        peer.link().attach(catcher);
        ArrayPool pool = peer.link().frameArrays();
        long createdBefore = pool.arraysCreated();

        List<PacketBuffer> first = receiveBurst(catcher, 0, count, LARGE_FRAME);
        Set<byte[]> held = takeArrays(first, pool);
        List<PacketBuffer> second = receiveBurst(catcher, count, count, LARGE_FRAME);
        for (PacketBuffer frame : second) {
            assertFalse(held.contains(frame.array()), "an array the first burst still holds was handed out again");
        }
        for (int i = 0; i < count; i++) {
            assertNumberedFrame(i, LARGE_FRAME, first.get(i)); // untouched by the second burst
        }
        held.addAll(takeArrays(second, pool));
        assertEquals(2 * count, held.size());
        assertEquals(2L * count, pool.arraysCreated() - createdBefore, "no spare to reuse: one new array per frame");

        held.forEach(pool::give);
        List<PacketBuffer> third = receiveBurst(catcher, 2 * count, count, LARGE_FRAME, SMALL_FRAME);
        assertEquals(2L * count, pool.arraysCreated() - createdBefore, "the given-back arrays were reused");
        for (int i = 0; i < count; i++) {
            PacketBuffer frame = third.get(i);
            assertNumberedFrame(2 * count + i, i % 2 == 0 ? LARGE_FRAME : SMALL_FRAME, frame);
            if (i % 2 == 0) {
                assertTrue(held.contains(frame.array()), "a large frame comes in a given-back array");
                assertSame(pool, frame.takePooledFront());
            } else {
                assertEquals(SMALL_FRAME, frame.array().length, "a small frame has an array of its own length");
                assertNull(frame.takePooledFront());
            }
        }
    }

    private List<PacketBuffer> receiveBurst(BurstCatcher catcher, int firstIndex, int count, int... sizes) throws Exception {
        int before = catcher.size();
        try (NamespaceProcess burst = startBurst(firstIndex, count, sizes)) {
            assertEquals(OptionalInt.of(0), burst.awaitExit(TIMEOUT), burst::output);
        }
        return catcher.awaitFrames(before + count, TIMEOUT).subList(before, before + count);
    }

    /** Takes the pooled arrays of {@code frames} over, as a receiver that keeps the bytes would. */
    private static Set<byte[]> takeArrays(List<PacketBuffer> frames, ArrayPool pool) {
        Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PacketBuffer frame : frames) {
            arrays.add(frame.array());
            assertSame(pool, frame.takePooledFront(), "a large frame comes in a pooled array it owns");
        }
        return arrays;
    }

    private NamespaceProcess startBurst(int firstIndex, int count, int... sizes) throws Exception {
        StringBuilder sizeList = new StringBuilder();
        for (int size : sizes) {
            sizeList.append(sizeList.length() == 0 ? "" : ",").append(size);
        }
        return KernelPython.spawn(peer, scratch, getClass(), "burst_frames.py", peer.deviceName(),
                peer.link().linkAddress().toString(), Integer.toString(firstIndex), Integer.toString(count), sizeList.toString());
    }

    /** Checks the frame burst_frames.py numbered {@code index}: its length and every payload byte. */
    private static void assertNumberedFrame(int index, int size, PacketBuffer frame) {
        byte[] bytes = frame.toByteArray();
        assertEquals(size, bytes.length, "length of frame " + index);
        int number = ((bytes[ETHERNET_HEADER] & 0xff) << 24) | ((bytes[ETHERNET_HEADER + 1] & 0xff) << 16)
                | ((bytes[ETHERNET_HEADER + 2] & 0xff) << 8) | (bytes[ETHERNET_HEADER + 3] & 0xff);
        assertEquals(index, number, "frames out of order or lost");
        for (int position = 4; position < size - ETHERNET_HEADER; position++) {
            if ((bytes[ETHERNET_HEADER + position] & 0xff) != (index + position) % 256) {
                throw new AssertionError("frame " + index + " changed at payload byte " + position);
            }
        }
    }

    /**
     * Keeps the frames of the bursts (by EtherType; the kernel sends frames of its own too), and,
     * if asked, holds the reader inside the delivery of the first until {@link #release}.
     */
    private static final class BurstCatcher implements NetworkDispatcher {
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final boolean holdFirst;
        private final List<PacketBuffer> frames = new ArrayList<>();

        BurstCatcher(boolean holdFirst) {
            this.holdFirst = holdFirst;
        }

        @Override
        public void deliverNetworkPacket(PacketBuffer frame) {
            if (frame.length() < ETHERNET_HEADER || (frame.getByte(12) << 8 | frame.getByte(13)) != ETHERTYPE_LOCAL_EXPERIMENTAL) {
                return;
            }
            synchronized (this) {
                frames.add(frame);
                notifyAll();
            }
            if (holdFirst && firstArrived.getCount() > 0) {
                firstArrived.countDown();
                try {
                    release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        synchronized int size() {
            return frames.size();
        }

        /** The first {@code n} frames, waiting at most {@code timeout} for them. */
        synchronized List<PacketBuffer> awaitFrames(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (frames.size() < n) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    throw new AssertionError("only " + frames.size() + " of " + n + " frames arrived within " + timeout);
                }
                wait(remainingMillis);
            }
            return new ArrayList<>(frames.subList(0, n));
        }
    }
}
