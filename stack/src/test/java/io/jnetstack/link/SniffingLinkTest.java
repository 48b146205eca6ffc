package io.jnetstack.link;

import io.jnetstack.fault.FaultyLink;
import io.jnetstack.testing.ManualExecutor;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SniffingLinkTest {
    private final ManualClock clock = new ManualClock();
    private final ManualExecutor executor = new ManualExecutor();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PipeLink.Pair pipe = PipeLink.pair(1500, TestFrames.MAC_A, TestFrames.MAC_B, DeliveryMode.on(executor));
    private final FrameRecorder atA = new FrameRecorder();
    private final FrameRecorder atB = new FrameRecorder();

    @Test
    void recordsFramesInBothDirectionsAndPassesThemOnUnchanged() throws IOException {
        PcapWriter capture = new PcapWriter(captured, LinkType.ETHERNET, clock);
        SniffingLink sniffer = new SniffingLink(pipe.a(), capture);
        sniffer.attach(atA);
        pipe.b().attach(atB);

        sniffer.writeFrame(frame(60, 1));
        executor.runPending();
        pipe.b().writeFrame(frame(70, 2));
        executor.runPending();
        sniffer.close();
        capture.close();

        assertArrayEquals(frame(60, 1).toByteArray(), atB.takeAll().get(0).toByteArray());
        assertArrayEquals(frame(70, 2).toByteArray(), atA.takeAll().get(0).toByteArray());
        List<PcapFile.Record> records = PcapFile.parse(captured.toByteArray()).records();
        assertEquals(2, records.size());
        assertArrayEquals(frame(60, 1).toByteArray(), records.get(0).data());
        assertArrayEquals(frame(70, 2).toByteArray(), records.get(1).data());
    }

    @Test
    void recordsEachLoopbackFrameOnceAsItIsDelivered() throws IOException {
        PcapWriter capture = new PcapWriter(captured, LinkType.RAW_IP, clock);
        SniffingLink sniffer = new SniffingLink(new LoopbackLink(1500, DeliveryMode.on(executor)), capture);
        sniffer.attach(atA);

        sniffer.writeFrame(frame(60, 1));
        sniffer.writeFrame(frame(70, 2));
        capture.flush();
        assertEquals(0, PcapFile.parse(capture()).records().size(), "not recorded until delivered");
        executor.runPending();
        sniffer.close();

        assertEquals(2, atA.takeAll().size());
        List<PcapFile.Record> records = PcapFile.parse(capture()).records();
        assertEquals(2, records.size(), "each frame once, as tcpdump on lo shows it");
        assertArrayEquals(frame(60, 1).toByteArray(), records.get(0).data());
        assertArrayEquals(frame(70, 2).toByteArray(), records.get(1).data());
    }

    @Test
    void recordsWhatALoopbackDeliversWhenFaultsSitBetween() throws IOException {
        PcapWriter capture = new PcapWriter(captured, LinkType.RAW_IP, clock);
        LinkEndpoint duplicating = new FaultyLink(new LoopbackLink(1500, DeliveryMode.on(executor)),
                FaultyLink.Faults.builder().duplication(1).build(), clock);
        SniffingLink sniffer = new SniffingLink(duplicating, capture);
        sniffer.attach(atA);

        sniffer.writeFrame(frame(60, 1));
        executor.runPending();
        sniffer.close();

        assertEquals(2, atA.takeAll().size());
        List<PcapFile.Record> records = PcapFile.parse(capture()).records();
        assertEquals(2, records.size(), "the two copies the stack received, not the one it sent");
        assertArrayEquals(records.get(0).data(), records.get(1).data());
    }

    /** What the capture holds so far. */
    private byte[] capture() {
        return captured.toByteArray();
    }

    @Test
    void presentsTheWrappedLinksAttributes() throws IOException {
        SniffingLink sniffer = new SniffingLink(pipe.a(), new PcapWriter(captured, LinkType.ETHERNET, clock));
        assertEquals(LinkType.ETHERNET, sniffer.linkType());
        assertEquals(1500, sniffer.mtu());
        assertEquals(TestFrames.MAC_A, sniffer.linkAddress());
        assertFalse(sniffer.isAttached());
        sniffer.attach(atA);
        assertTrue(sniffer.isAttached());
        sniffer.attach(null);
        assertFalse(pipe.a().isAttached());
        sniffer.close();
        assertTrue(pipe.a().isClosed());
    }

    @Test
    void rejectsCaptureOfAnotherLinkType() throws IOException {
        PcapWriter rawIpCapture = new PcapWriter(captured, LinkType.RAW_IP, clock);
        assertThrows(IllegalArgumentException.class, () -> new SniffingLink(pipe.a(), rawIpCapture));
    }

    @Test
    void captureFailureIsCountedAndTrafficStillFlows() throws IOException {
        PcapWriter capture = new PcapWriter(captured, LinkType.ETHERNET, clock);
        SniffingLink sniffer = new SniffingLink(pipe.a(), capture);
        pipe.b().attach(atB);
        capture.close(); // from now on every record fails with an IOException
        sniffer.writeFrame(frame(60, 0));
        sniffer.writeFrame(frame(60, 0));
        executor.runPending();
        assertEquals(2, atB.takeAll().size());
        assertEquals(2, sniffer.captureErrors());
    }
}
