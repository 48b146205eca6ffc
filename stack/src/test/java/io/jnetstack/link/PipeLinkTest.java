package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.stack.Nic;
import io.jnetstack.testing.ManualExecutor;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.ArrayPool;
import io.jnetstack.buffer.PacketBuffer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipeLinkTest {
    private static final LinkAddress MAC_A = LinkAddress.parse("02:00:00:00:00:0a");
    private static final LinkAddress MAC_B = LinkAddress.parse("02:00:00:00:00:0b");

    private final ManualExecutor executor = new ManualExecutor();
    private final FrameRecorder atA = new FrameRecorder();
    private final FrameRecorder atB = new FrameRecorder();

    private PipeLink.Pair manualPair(int mtu) {
        PipeLink.Pair pair = PipeLink.pair(mtu, MAC_A, MAC_B, DeliveryMode.on(executor));
        pair.a().attach(atA);
        pair.b().attach(atB);
        return pair;
    }

    @Test
    void endsAreEthernetWithTheGivenAddresses() {
        PipeLink.Pair pair = manualPair(1500);
        assertEquals(LinkType.ETHERNET, pair.a().linkType());
        assertEquals(LinkType.ETHERNET, pair.b().linkType());
        assertEquals(MAC_A, pair.a().linkAddress());
        assertEquals(MAC_B, pair.b().linkAddress());
        assertEquals(1500, pair.a().mtu());
        assertEquals(1500, pair.b().mtu());
    }

    @Test
    void randomAddressesAreDistinctLocallyAdministeredUnicast() {
        PipeLink.Pair pair = PipeLink.pair(1500, executor);
        LinkAddress a = pair.a().linkAddress();
        LinkAddress b = pair.b().linkAddress();
        assertNotEquals(a, b);
        for (LinkAddress mac : List.of(a, b)) {
            byte first = mac.toByteArray()[0];
            assertEquals(0x02, first & 0x02, mac + " is not locally administered");
            assertFalse(mac.isMulticast(), mac + " is not unicast");
        }
    }

    @Test
    void frameWrittenOnOneEndReachesOnlyTheOther() {
        PipeLink.Pair pair = manualPair(1500);
        pair.a().writeFrame(frame(60, 1));
        pair.b().writeFrame(frame(60, 2));
        executor.runPending();
        assertEquals(2, atA.takeAll().get(0).getByte(0));
        assertEquals(1, atB.takeAll().get(0).getByte(0));
        assertTrue(atA.takeAll().isEmpty());
        assertTrue(atB.takeAll().isEmpty());
    }

    @Test
    void receiverGetsAContiguousCopyNotTheWritersBuffers() {
        PipeLink.Pair pair = manualPair(1500);
        byte[] payload = {9, 9, 9, 9};
        PacketBuffer written = PacketBuffer.withHeadroom(14, new byte[14], 0, 14);
        written.appendSlice(payload, 0, payload.length);
        byte[] expected = written.toByteArray();
        pair.a().writeFrame(written);
        payload[0] = 0; // the writer reuses its buffer once writeFrame returned
        written.array()[written.offset()] = 1;
        executor.runPending();
        PacketBuffer received = atB.takeAll().get(0);
        assertArrayEquals(expected, received.toByteArray());
        assertNotSame(written.array(), received.array());
        assertEquals(received.length(), received.frontLength());
    }

    @Test
    void aLargeFrameArrivesInAPooledArrayThatTheReceiverGivesBackForTheNextFrame() {
        PipeLink.Pair pair = manualPair(1500);
        PacketBuffer first = frame(1514, 1);
        byte[] firstBytes = first.toByteArray();
        pair.a().writeFrame(first);
        executor.runPending();
        PacketBuffer received = atB.takeAll().get(0);
        assertArrayEquals(firstBytes, received.toByteArray());
        ArrayPool pool = received.takePooledFront();
        assertNotNull(pool, "a full-sized frame is copied into an array of the receiving end's pool");
        byte[] array = received.array();
        pool.give(array); // as the receive buffer does once the application has read the bytes
        assertEquals(1, pair.b().spareFrameArrays());

        PacketBuffer second = frame(1000, 2);
        byte[] secondBytes = second.toByteArray();
        pair.a().writeFrame(second);
        executor.runPending();
        PacketBuffer next = atB.takeAll().get(0);
        assertSame(array, next.array(), "the array given back carries the next frame");
        assertArrayEquals(secondBytes, next.toByteArray());
        assertEquals(0, pair.b().spareFrameArrays());
        assertEquals(0, pair.a().spareFrameArrays(), "frames B receives never fill A's pool");
    }

    @Test
    void aSmallFrameGetsAnArrayOfItsOwnLength() {
        PipeLink.Pair pair = manualPair(1500);
        pair.a().writeFrame(frame(60, 0));
        executor.runPending();
        PacketBuffer received = atB.takeAll().get(0);
        assertNull(received.takePooledFront(), "an ACK-sized frame never holds a 1514-byte array");
        assertEquals(60, received.array().length);
    }

    @Test
    void dropsFramesLongerThanMtuPlusEthernetHeader() {
        PipeLink.Pair pair = manualPair(100);
        pair.a().writeFrame(frame(114, 0));
        pair.a().writeFrame(frame(115, 0));
        executor.runPending();
        assertEquals(1, atB.takeAll().size());
        LinkStats stats = pair.a().stats();
        assertEquals(2, stats.sent().frames());
        assertEquals(229, stats.sent().bytes());
        assertEquals(1, stats.delivered().frames());
        assertEquals(114, stats.delivered().bytes());
        assertEquals(1, stats.dropped().frames());
        assertEquals(115, stats.dropped().bytes());
    }

    @Test
    void countersBelongToTheEndTheFrameWasWrittenOn() {
        PipeLink.Pair pair = manualPair(1500);
        pair.a().writeFrame(frame(60, 0));
        executor.runPending();
        assertEquals(1, pair.a().stats().delivered().frames());
        assertEquals(0, pair.b().stats().sent().frames());
        assertEquals(0, pair.b().stats().delivered().frames());
    }

    @Test
    void closingOneEndCutsBothDirectionsAndDropsQueuedFrames() {
        PipeLink.Pair pair = manualPair(1500);
        pair.a().writeFrame(frame(60, 0)); // queued, then the cable is cut
        pair.b().close();
        pair.a().writeFrame(frame(60, 0));
        pair.b().writeFrame(frame(60, 0));
        executor.runPending();
        assertTrue(atA.takeAll().isEmpty());
        assertTrue(atB.takeAll().isEmpty());
        assertEquals(2, pair.a().stats().dropped().frames());
        assertEquals(1, pair.b().stats().dropped().frames());
        assertFalse(pair.a().isClosed(), "the other end stays open, like a NIC whose cable was pulled");
    }

    @Test
    void pairCloseClosesBothEnds() {
        PipeLink.Pair pair = manualPair(1500);
        pair.close();
        assertTrue(pair.a().isClosed());
        assertTrue(pair.b().isClosed());
    }

    @Test
    void ownThreadsCarryARequestAndItsReplyBetweenTwoStacks() throws InterruptedException {
        try (PipeLink.Pair pair = PipeLink.pair(1500)) {
            LinkedBlockingQueue<String> threadNames = new LinkedBlockingQueue<>();
            pair.b().attach(f -> {
                threadNames.add(Thread.currentThread().getName());
                pair.b().writeFrame(frame(60, f.getByte(0) + 1)); // the reply
            });
            pair.a().attach(f -> {
                threadNames.add(Thread.currentThread().getName());
                atA.deliverNetworkPacket(f);
            });
            pair.a().writeFrame(frame(60, 41));
            assertEquals(42, atA.awaitFrame().getByte(0));
            String aToB = threadNames.poll(10, TimeUnit.SECONDS);
            String bToA = threadNames.poll(10, TimeUnit.SECONDS);
            String a = pair.a().linkAddress().toString();
            String b = pair.b().linkAddress().toString();
            assertEquals("jnetstack-pipe-" + a + "-to-" + b, aToB);
            assertEquals("jnetstack-pipe-" + b + "-to-" + a, bToA);
        }
    }
}
