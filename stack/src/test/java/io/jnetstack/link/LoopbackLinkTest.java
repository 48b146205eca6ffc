package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.testing.ManualExecutor;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LoopbackLinkTest {
    private final ManualExecutor executor = new ManualExecutor();
    private final FrameRecorder recorder = new FrameRecorder();

    @Test
    void isRawIpWithoutAddressAndDefaultMtu() {
        try (LoopbackLink link = new LoopbackLink()) {
            assertEquals(LinkType.RAW_IP, link.linkType());
            assertEquals(LinkAddress.NONE, link.linkAddress());
            assertEquals(65536, link.mtu());
        }
        try (LoopbackLink link = new LoopbackLink(1500, executor)) {
            assertEquals(1500, link.mtu());
        }
    }

    @Test
    void deliversWrittenFrameToItsOwnDispatcherOnlyWhenExecutorRuns() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        link.attach(recorder);
        link.writeFrame(frame(40, 7));
        assertTrue(recorder.takeAll().isEmpty(), "delivery must wait for the executor");
        assertEquals(1, executor.runPending());
        List<PacketBuffer> got = recorder.takeAll();
        assertEquals(1, got.size());
        assertArrayEquals(frame(40, 7).toByteArray(), got.get(0).toByteArray());
    }

    @Test
    void deliveredFrameIsContiguous() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        link.attach(recorder);
        link.writeFrame(frame(40, 0));
        executor.runPending();
        PacketBuffer got = recorder.takeAll().get(0);
        assertEquals(got.length(), got.frontLength());
    }

    @Test
    void largeFrameIsDeliveredInAReusableArrayThatComesBackWhenGiven() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        link.attach(recorder);
        link.writeFrame(frame(1400, 3));
        executor.runPending();
        PacketBuffer got = recorder.takeAll().get(0);
        assertEquals(got.length(), got.frontLength());
        assertArrayEquals(frame(1400, 3).toByteArray(), got.toByteArray());
        byte[] array = got.array();
        got.takePooledFront().give(array);
        assertEquals(1, link.spareFrameArrays());
        link.writeFrame(frame(1400, 4));
        executor.runPending();
        PacketBuffer next = recorder.takeAll().get(0);
        assertSame(array, next.array());
        assertArrayEquals(frame(1400, 4).toByteArray(), next.toByteArray());
    }

    @Test
    void aPartialChecksumArrivesVouchedForAndACompleteOneArrivesToBeChecked() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        assertTrue(link.completesChecksums());
        link.attach(recorder);
        PacketBuffer partial = frame(60, 1);
        partial.markChecksumPartial(16);
        link.writeFrame(partial);
        link.writeFrame(frame(60, 2));
        executor.runPending();
        List<PacketBuffer> got = recorder.takeAll();
        assertTrue(got.get(0).isChecksumVerified());
        assertFalse(got.get(1).isChecksumVerified());
    }

    @Test
    void countsSentAndDeliveredFramesAndBytes() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        link.attach(recorder);
        link.writeFrame(frame(40, 0));
        link.writeFrame(frame(60, 0));
        executor.runPending();
        assertEquals(2, link.stats().sent().frames());
        assertEquals(100, link.stats().sent().bytes());
        assertEquals(2, link.stats().delivered().frames());
        assertEquals(100, link.stats().delivered().bytes());
        assertEquals(0, link.stats().dropped().frames());
    }

    @Test
    void dropsFramesLongerThanMtu() {
        LoopbackLink link = new LoopbackLink(100, executor);
        link.attach(recorder);
        link.writeFrame(frame(100, 0));
        link.writeFrame(frame(101, 0));
        executor.runPending();
        assertEquals(1, recorder.takeAll().size());
        assertEquals(1, link.stats().dropped().frames());
        assertEquals(101, link.stats().dropped().bytes());
    }

    @Test
    void dropsFramesWhileNoDispatcherIsAttached() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        assertFalse(link.isAttached());
        link.writeFrame(frame(10, 0));
        executor.runPending();
        assertEquals(1, link.stats().dropped().frames());
        link.attach(recorder);
        assertTrue(link.isAttached());
        link.attach(null);
        assertFalse(link.isAttached());
    }

    @Test
    void closeDropsQueuedFramesAndLaterWrites() {
        LoopbackLink link = new LoopbackLink(1500, executor);
        link.attach(recorder);
        link.writeFrame(frame(10, 0));
        link.close();
        link.writeFrame(frame(10, 0));
        executor.runPending();
        assertTrue(recorder.takeAll().isEmpty());
        assertEquals(2, link.stats().dropped().frames());
        assertTrue(link.isClosed());
    }

    @Test
    void replyWrittenInsideDispatchIsDeliveredAfterItNotInsideIt() throws InterruptedException {
        try (LoopbackLink link = new LoopbackLink()) {
            AtomicBoolean inDispatch = new AtomicBoolean();
            AtomicBoolean recursed = new AtomicBoolean();
            LinkedBlockingQueue<Integer> order = new LinkedBlockingQueue<>();
            link.attach(f -> {
                if (!inDispatch.compareAndSet(false, true)) {
                    recursed.set(true);
                }
                order.add(f.getByte(0));
                if (f.getByte(0) == 1) {
                    link.writeFrame(frame(4, 2)); // the reply
                }
                inDispatch.set(false);
            });
            link.writeFrame(frame(4, 1));
            assertEquals(1, order.poll(10, TimeUnit.SECONDS));
            assertEquals(2, order.poll(10, TimeUnit.SECONDS));
            assertFalse(recursed.get(), "the reply was dispatched recursively");
        }
    }

    @Test
    void ownThreadDeliversInOrderOnANamedDaemonThread() throws InterruptedException {
        try (LoopbackLink link = new LoopbackLink()) {
            LinkedBlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
            link.attach(f -> {
                threads.add(Thread.currentThread());
                recorder.deliverNetworkPacket(f);
            });
            for (int i = 0; i < 200; i++) {
                link.writeFrame(frame(4, i));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(i & 0xff, recorder.awaitFrame().getByte(0));
            }
            Thread t = threads.take();
            assertNotSame(Thread.currentThread(), t);
            assertTrue(t.isDaemon());
            assertEquals("jnetstack-loopback-delivery", t.getName());
        }
    }

    @Test
    void fullBacklogDropsAndCountsInsteadOfBlockingTheWriter() throws InterruptedException {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (LoopbackLink link = new LoopbackLink(1500, DeliveryMode.ownThread(1))) {
            link.attach(f -> {
                firstEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                recorder.deliverNetworkPacket(f);
            });
            link.writeFrame(frame(4, 1)); // taken by the delivery thread, which then blocks
            assertTrue(firstEntered.await(10, TimeUnit.SECONDS));
            link.writeFrame(frame(4, 2)); // fills the one-frame backlog
            link.writeFrame(frame(4, 3)); // no room: dropped
            assertEquals(1, link.stats().dropped().frames());
            release.countDown();
            assertEquals(1, recorder.awaitFrame().getByte(0));
            assertEquals(2, recorder.awaitFrame().getByte(0));
            assertEquals(2, link.stats().delivered().frames());
        }
    }

    @Test
    void dispatcherThatThrowsDoesNotStopDelivery() throws InterruptedException {
        try (LoopbackLink link = new LoopbackLink()) {
            link.attach(f -> {
                if (f.getByte(0) == 1) {
                    throw new IllegalStateException("test: a broken dispatcher");
                }
                recorder.deliverNetworkPacket(f);
            });
            link.writeFrame(frame(4, 1));
            link.writeFrame(frame(4, 2));
            assertEquals(2, recorder.awaitFrame().getByte(0));
        }
    }

    @Test
    void rejectsNonPositiveMtuAndBacklog() {
        assertThrows(IllegalArgumentException.class, () -> new LoopbackLink(0, executor));
        assertThrows(IllegalArgumentException.class, () -> DeliveryMode.ownThread(0));
    }
}
