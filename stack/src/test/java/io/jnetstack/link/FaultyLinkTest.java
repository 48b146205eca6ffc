package io.jnetstack.link;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.fault.FaultRules;
import io.jnetstack.fault.FaultyLink;
import io.jnetstack.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FaultyLinkTest {
    private static final Duration MS = Duration.ofMillis(1);

    private final ManualClock clock = new ManualClock();
    /** Same-thread delivery: a frame sent to the inner link has arrived when writeFrame returns. */
    private final PipeLink.Pair pipe = PipeLink.pair(1500, TestFrames.MAC_A, TestFrames.MAC_B, DeliveryMode.on(Runnable::run));
    private final FrameRecorder received = new FrameRecorder();

    FaultyLinkTest() {
        pipe.b().attach(received);
    }

    private FaultyLink faulty(FaultyLink.Faults faults) {
        return new FaultyLink(pipe.a(), faults, clock);
    }

    /** Writes frames numbered {@code first..first+count-1} (the number is the first byte). */
    private static void writeNumbered(FaultyLink link, int first, int count) {
        for (int i = first; i < first + count; i++) {
            link.writeFrame(frame(60, i));
        }
    }

    /** First bytes of the frames received so far, which {@link #writeNumbered} made their numbers. */
    private List<Integer> receivedNumbers() {
        List<Integer> numbers = new ArrayList<>();
        for (PacketBuffer f : received.takeAll()) {
            numbers.add(f.getByte(0));
        }
        return numbers;
    }

    @Test
    void noFaultsPassesEveryFrameUnchangedAndInOrder() {
        FaultyLink link = faulty(FaultyLink.Faults.NONE);
        writeNumbered(link, 1, 5);
        assertEquals(List.of(1, 2, 3, 4, 5), receivedNumbers());
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void presentsTheWrappedLinksAttributesAndReceivesUnchanged() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().loss(1).build());
        assertEquals(LinkType.ETHERNET, link.linkType());
        assertEquals(1500, link.mtu());
        assertEquals(TestFrames.MAC_A, link.linkAddress());
        FrameRecorder atA = new FrameRecorder();
        link.attach(atA);
        assertTrue(link.isAttached());
        pipe.b().writeFrame(frame(60, 9));
        assertEquals(1, atA.takeAll().size(), "inbound frames are not faulted");
    }

    @Test
    void certainLossDropsEverythingAndCountsIt() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().loss(1).build());
        writeNumbered(link, 1, 4);
        assertEquals(List.of(), receivedNumbers());
        assertEquals(4, link.stats().lost().frames());
        assertEquals(240, link.stats().lost().bytes());
    }

    @Test
    void partialLossDropsAboutThatShareAndCountsEachLostFrame() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().loss(0.3).seed(7).build());
        writeNumbered(link, 0, 1000);
        long lost = link.stats().lost().frames();
        assertEquals(1000, received.takeAll().size() + lost);
        assertTrue(lost > 230 && lost < 370, "lost " + lost + " of 1000 at p=0.3");
    }

    @Test
    void sameSeedGivesTheSameRunAndAnotherSeedAnother() {
        Function<Long, List<Integer>> run = seed -> {
            PipeLink.Pair p = PipeLink.pair(1500, DeliveryMode.on(Runnable::run));
            FrameRecorder r = new FrameRecorder();
            p.b().attach(r);
            FaultyLink link = new FaultyLink(p.a(), FaultyLink.Faults.builder()
                    .loss(0.2).duplication(0.2).reordering(0.2).corruption(0.2).seed(seed).build(), new ManualClock());
            writeNumbered(link, 0, 200);
            List<Integer> fingerprint = new ArrayList<>();
            for (PacketBuffer f : r.takeAll()) {
                fingerprint.add(java.util.Arrays.hashCode(f.toByteArray()));
            }
            return fingerprint;
        };
        assertEquals(run.apply(42L), run.apply(42L));
        assertNotEquals(run.apply(42L), run.apply(43L));
    }

    @Test
    void duplicationSendsAnIndependentSecondCopy() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().duplication(1).build());
        link.writeFrame(frame(60, 1));
        List<PacketBuffer> got = received.takeAll();
        assertEquals(2, got.size());
        assertArrayEquals(got.get(0).toByteArray(), got.get(1).toByteArray());
        assertNotSame(got.get(0).array(), got.get(1).array());
        assertEquals(1, link.stats().duplicated().frames());
    }

    @Test
    void corruptionFlipsBitsOfExactlyOneByteAfterTheLinkHeaderInACopy() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().corruption(1).seed(3).build());
        for (int i = 0; i < 50; i++) {
            PacketBuffer original = frame(60, i);
            byte[] before = original.toByteArray();
            link.writeFrame(original);
            assertArrayEquals(before, original.toByteArray(), "the writer's buffers must not change");
            byte[] after = received.takeAll().get(0).toByteArray();
            int differing = 0;
            for (int b = 0; b < before.length; b++) {
                if (before[b] != after[b]) {
                    differing++;
                    assertTrue(b >= TestFrames.ETHERNET_HEADER, "corrupted byte " + b + " is in the Ethernet header");
                }
            }
            assertEquals(1, differing);
        }
        assertEquals(50, link.stats().corrupted().frames());
    }

    @Test
    void corruptedIpv4PacketAlwaysFailsAChecksum() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().corruption(1).seed(11).build());
        int ip = TestFrames.ETHERNET_HEADER;
        int icmp = ip + TestFrames.IPV4_HEADER;
        for (int i = 0; i < 100; i++) {
            byte[] echo = TestFrames.icmpEchoRequest();
            link.writeFrame(PacketBuffer.wrap(echo, 0, echo.length));
            byte[] got = received.takeAll().get(0).toByteArray();
            // A correct header or message sums to zero with its checksum in place (RFC 1071).
            boolean ipGood = TestFrames.internetChecksum(got, ip, TestFrames.IPV4_HEADER) == 0;
            boolean icmpGood = TestFrames.internetChecksum(got, icmp, got.length - icmp) == 0;
            assertTrue(!ipGood || !icmpGood, "corruption went unnoticed by both checksums");
        }
    }

    @Test
    void reorderedFrameIsSentAfterTheWindowOfLaterFrames() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).reorderBound(1, MS).build());
        writeNumbered(link, 1, 4);
        assertEquals(List.of(2, 1, 4, 3), receivedNumbers());
        assertEquals(2, link.stats().reordered().frames());
    }

    @Test
    void heldFrameWaitsForAtMostTheWindow() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).reorderBound(3, MS).build());
        writeNumbered(link, 1, 4);
        assertEquals(List.of(2, 3, 4, 1), receivedNumbers());
    }

    @Test
    void heldFrameIsReleasedAfterMaxHoldWhenNoFrameFollows() {
        Duration maxHold = Duration.ofMillis(5);
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).reorderBound(3, maxHold).build());
        link.writeFrame(frame(60, 1));
        clock.advance(maxHold.minusNanos(1));
        assertEquals(List.of(), receivedNumbers());
        clock.advanceNanos(1);
        assertEquals(List.of(1), receivedNumbers());
    }

    @Test
    void releasingByWindowCancelsTheHoldTimer() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).reorderBound(1, MS).build());
        writeNumbered(link, 1, 2);
        assertEquals(0, clock.pendingTimers());
        clock.advance(MS);
        assertEquals(List.of(2, 1), receivedNumbers());
    }

    @Test
    void delayedFrameArrivesAfterItsDelayOnTheClock() {
        Duration delay = Duration.ofMillis(5);
        FaultyLink link = faulty(FaultyLink.Faults.builder().delay(1, delay, delay).build());
        link.writeFrame(frame(60, 1));
        clock.advance(delay.minusNanos(1));
        assertEquals(List.of(), receivedNumbers());
        clock.advanceNanos(1);
        assertEquals(List.of(1), receivedNumbers());
        assertEquals(1, link.stats().delayed().frames());
    }

    @Test
    void delaysAreDrawnFromTheConfiguredRange() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().delay(1, MS, MS.multipliedBy(3)).seed(5).build());
        writeNumbered(link, 0, 100);
        clock.advance(MS.minusNanos(1));
        assertEquals(0, received.takeAll().size(), "nothing arrives before the minimum delay");
        clock.advance(MS);
        int byTwoMillis = received.takeAll().size();
        assertTrue(byTwoMillis > 0 && byTwoMillis < 100, byTwoMillis + " of 100 frames arrived within 2 ms");
        clock.advance(MS);
        assertEquals(100 - byTwoMillis, received.takeAll().size(), "everything arrives by the maximum delay");
    }

    @Test
    void closeDiscardsHeldAndDelayedFramesAndClosesTheWrappedLink() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).reorderBound(3, MS).build());
        link.writeFrame(frame(60, 1)); // held
        FaultyLink delaying = faulty(FaultyLink.Faults.builder().delay(1, MS, MS).build());
        delaying.writeFrame(frame(50, 2)); // delayed
        link.close();
        delaying.close();
        clock.advance(MS.multipliedBy(10));
        assertEquals(List.of(), receivedNumbers());
        assertEquals(1, link.stats().discardedOnClose().frames());
        assertEquals(60, link.stats().discardedOnClose().bytes());
        assertEquals(1, delaying.stats().discardedOnClose().frames());
        assertEquals(0, clock.pendingTimers());
        assertTrue(pipe.a().isClosed());
    }

    @Test
    void framesWrittenAfterCloseGoToTheClosedLinkWhichDropsThem() {
        FaultyLink link = faulty(FaultyLink.Faults.builder().reordering(1).build());
        link.close();
        link.writeFrame(frame(60, 1));
        assertEquals(0, link.stats().reordered().frames());
        assertEquals(1, pipe.a().stats().dropped().frames());
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRejectedNamingTheField() {
        List<Function<Double, FaultyLink.Faults.Builder>> setters = List.of(
                p -> FaultyLink.Faults.builder().loss(p),
                p -> FaultyLink.Faults.builder().duplication(p),
                p -> FaultyLink.Faults.builder().reordering(p),
                p -> FaultyLink.Faults.builder().corruption(p),
                p -> FaultyLink.Faults.builder().delay(p, MS, MS));
        List<String> fields = List.of("loss", "duplication", "reordering", "corruption", "delay");
        for (int i = 0; i < setters.size(); i++) {
            for (double bad : new double[] {-0.1, 1.01, Double.NaN}) {
                FaultyLink.Faults.Builder b = setters.get(i).apply(bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
                assertTrue(e.getMessage().startsWith(fields.get(i) + " "), e.getMessage());
                assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
            }
            setters.get(i).apply(0.0).build();
            setters.get(i).apply(1.0).build();
        }
    }

    @Test
    void delayAndReorderBoundsAreValidated() {
        FaultyLink.Faults.Builder b = FaultyLink.Faults.builder();
        assertThrows(IllegalArgumentException.class, () -> b.delay(0.5, MS.multipliedBy(2), MS).build());
        assertThrows(IllegalArgumentException.class, () -> b.delay(0.5, MS.negated(), MS).build());
        FaultyLink.Faults.Builder r = FaultyLink.Faults.builder();
        assertThrows(IllegalArgumentException.class, () -> r.reorderBound(0, MS).build());
        assertThrows(IllegalArgumentException.class, () -> r.reorderBound(1, Duration.ZERO).build());
    }

    @Test
    void aScheduleChangesTheFaultsPhaseByPhaseAndStartsAgainAfterTheLast() {
        FaultyLink.Faults dropAll = FaultyLink.Faults.builder().loss(1).build();
        FaultyLink link = new FaultyLink(pipe.a(), FaultyLink.Schedule.cycle(
                new FaultyLink.Phase(MS.multipliedBy(10), dropAll),
                new FaultyLink.Phase(MS.multipliedBy(5), FaultyLink.Faults.NONE)), clock);
        writeNumbered(link, 1, 1);
        clock.advance(MS.multipliedBy(9));
        writeNumbered(link, 2, 1);
        clock.advance(MS);
        assertEquals(FaultyLink.Faults.NONE, link.faults());
        writeNumbered(link, 3, 1);
        clock.advance(MS.multipliedBy(5)); // the cycle begins again
        writeNumbered(link, 4, 1);
        assertEquals(List.of(3), receivedNumbers());
        assertEquals(3, link.stats().lost().frames());
    }

    @Test
    void aScheduleMappedToDropOneFaultKeepsTheOthersAndThePhases() {
        FaultyLink.Faults lossy = FaultyLink.Faults.builder().loss(0.5).corruption(0.25).seed(7).build();
        FaultyLink.Schedule schedule = FaultyLink.Schedule.cycle(new FaultyLink.Phase(MS, lossy),
                new FaultyLink.Phase(MS.multipliedBy(2), FaultyLink.Faults.NONE));
        FaultyLink.Schedule noCorruption = schedule.map(f -> f.toBuilder().corruption(0).build());
        assertEquals(lossy.toBuilder().corruption(0).build(), noCorruption.at(0));
        assertEquals(0.5, noCorruption.at(0).loss());
        assertEquals(7, noCorruption.at(0).seed());
        assertEquals(FaultyLink.Faults.NONE, noCorruption.at(MS.toNanos() * 2));
        assertEquals(lossy.toBuilder().corruption(0).build(), noCorruption.at(MS.toNanos() * 3));
        assertEquals(lossy, lossy.toBuilder().build(), "toBuilder keeps every field");
    }

    @Test
    void aScheduleNeedsPhasesOfPositiveLength() {
        assertThrows(IllegalArgumentException.class, () -> new FaultyLink.Schedule(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FaultyLink.Phase(Duration.ZERO, FaultyLink.Faults.NONE));
    }

    /** A device that offers segmentation and checksum offload, as a TAP with virtio-net headers does. */
    private static final class OffloadingLink extends WrappingLink {
        OffloadingLink(LinkEndpoint inner) {
            super(inner);
        }

        @Override
        public int gsoMaxSize() {
            return 65536;
        }

        @Override
        public boolean completesChecksums() {
            return true;
        }
    }

    @Test
    void offloadsAreWithheldOnlyWhileARuleAltersBytes() {
        FaultRules rules = new FaultRules();
        FaultyLink link = new FaultyLink(new OffloadingLink(pipe.a()), rules, "tap0", clock);
        assertEquals(65536, link.gsoMaxSize());
        assertTrue(link.completesChecksums());

        rules.add("corrupt=1%");
        assertEquals(0, link.gsoMaxSize(), "the device would checksum over the corruption");
        assertFalse(link.completesChecksums());

        rules.clear();
        rules.add("slice=100");
        assertEquals(0, link.gsoMaxSize(), "the device would merge what was sliced back into MSS segments");

        rules.clear();
        rules.add("latency=5ms");
        assertEquals(65536, link.gsoMaxSize(), "delay leaves the bytes alone");
        assertTrue(link.completesChecksums());
    }

    @Test
    void aCorruptedInboundFrameNoLongerCarriesTheDevicesChecksumVouch() {
        FaultRules rules = new FaultRules();
        FaultyLink link = new FaultyLink(pipe.a(), rules, "tap0", clock);
        FrameRecorder atA = new FrameRecorder();
        link.attach(atA);
        rules.add("dir=in:corrupt=100%");
        PacketBuffer vouched = frame(60, 9);
        vouched.markChecksumVerified();
        pipe.b().writeFrame(vouched);
        List<PacketBuffer> got = atA.takeAll();
        assertEquals(1, got.size());
        assertFalse(got.get(0).isChecksumVerified(), "the stack must check the checksum the corruption broke");
    }

    @Test
    void whatTheWrappedLinkSaysBesidesFramesReachesTheDispatcher() {
        NetworkDispatcher[] attachedToInner = new NetworkDispatcher[1];
        WrappingLink inner = new WrappingLink(pipe.a()) {
            @Override
            public void attach(NetworkDispatcher dispatcher) {
                attachedToInner[0] = dispatcher;
                super.attach(dispatcher);
            }
        };
        FaultyLink link = new FaultyLink(inner, new FaultRules(), "tap0", clock);
        List<String> heard = new ArrayList<>();
        link.attach(new NetworkDispatcher() {
            @Override
            public void deliverNetworkPacket(PacketBuffer frame) {
                heard.add("frame");
            }

            @Override
            public void batchEnded() {
                heard.add("batch ended");
            }

            @Override
            public void linkThreadFailed(Throwable cause) {
                heard.add("thread failed");
            }

            @Override
            public void linkFailed(java.io.IOException cause) {
                heard.add("link failed");
            }
        });
        attachedToInner[0].deliverNetworkPacket(frame(60, 1));
        attachedToInner[0].batchEnded();
        attachedToInner[0].linkThreadFailed(new OutOfMemoryError("test"));
        attachedToInner[0].linkFailed(new java.io.IOException("tap0: gone"));
        // Without the batch's end TCP held its ACKs for the delayed-ACK timer: 0.1 Gbit/s from the kernel.
        assertEquals(List.of("frame", "batch ended", "thread failed", "link failed"), heard);
    }
}
