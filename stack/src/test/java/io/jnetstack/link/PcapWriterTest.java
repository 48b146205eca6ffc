package io.jnetstack.link;

import static io.jnetstack.link.FrameRecorder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.time.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    private final ManualClock clock = new ManualClock();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private PcapFile written() {
        return PcapFile.parse(bytes.toByteArray());
    }

    @Test
    void fileHeaderIsClassicPcapVersion2Point4() throws IOException {
        new PcapWriter(bytes, LinkType.ETHERNET, clock).close();
        PcapFile f = written();
        assertEquals(0xa1b2c3d4, f.magic());
        assertEquals(2, f.versionMajor());
        assertEquals(4, f.versionMinor());
        assertEquals(0, f.thisZone());
        assertEquals(0, f.sigFigs());
        assertEquals(262144, f.snapLen());
        assertEquals(1, f.network());
        assertEquals(0, f.records().size());
    }

    @Test
    void networkIsTheLinkTypesPcapValue() throws IOException {
        new PcapWriter(bytes, LinkType.RAW_IP, clock).close();
        assertEquals(101, written().network());
    }

    @Test
    void recordsHoldEachFramesBytesAndLength() throws IOException {
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, clock)) {
            w.write(frame(60, 1));
            w.write(PacketBuffer.wrap(TestFrames.arpRequest(), 0, 42));
        }
        List<PcapFile.Record> records = written().records();
        assertEquals(2, records.size());
        assertArrayEquals(frame(60, 1).toByteArray(), records.get(0).data());
        assertEquals(60, records.get(0).originalLength());
        assertArrayEquals(TestFrames.arpRequest(), records.get(1).data());
        assertEquals(42, records.get(1).capturedLength());
    }

    @Test
    void aPartialTransportChecksumIsCompletedInTheRecordOnly() throws IOException {
        int pseudoHeaderSum = Checksum.ipv4PseudoHeader(0x7f000001, 0x7f000002, 6, 20 + 33);
        byte[] transport = new byte[20 + 33];
        for (int i = 0; i < transport.length; i++) {
            transport[i] = (byte) (i * 7 + 3);
        }
        transport[16] = 0;
        transport[17] = 0;
        int expected = Checksum.finish(Checksum.add(pseudoHeaderSum, transport, 0, transport.length));
        // As a transport on a checksum-offloading link leaves it: the field holds the pseudo-header's
        // sum, the payload is an odd-length slice, and the IP header goes in front afterwards.
        PacketBuffer frame = PacketBuffer.withHeadroom(40, transport, 0, 20);
        frame.appendSlice(transport, 20, 33);
        int field = frame.offset() + 16;
        frame.array()[field] = (byte) (Checksum.fold16(pseudoHeaderSum) >>> 8);
        frame.array()[field + 1] = (byte) Checksum.fold16(pseudoHeaderSum);
        frame.markChecksumPartial(16);
        frame.prepend(20);
        byte[] sent = frame.toByteArray();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.RAW_IP, clock)) {
            w.write(frame);
        }
        byte[] recorded = written().records().get(0).data();
        assertEquals(expected, ((recorded[20 + 16] & 0xff) << 8) | (recorded[20 + 17] & 0xff));
        recorded[20 + 16] = sent[20 + 16];
        recorded[20 + 17] = sent[20 + 17];
        assertArrayEquals(sent, recorded, "nothing else differs");
        assertArrayEquals(sent, frame.toByteArray(), "the frame itself keeps its partial checksum for the link");
    }

    @Test
    void timestampsFollowTheClockInMicroseconds() throws IOException {
        long startSeconds = clock.currentTimeMillis() / 1000;
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, clock)) {
            w.write(frame(20, 0));
            clock.advance(Duration.ofSeconds(3).plusNanos(1_234_567));
            w.write(frame(20, 0));
        }
        PcapFile.Record first = written().records().get(0);
        PcapFile.Record second = written().records().get(1);
        assertEquals(startSeconds, first.seconds());
        assertEquals(0, first.micros());
        assertEquals(startSeconds + 3, second.seconds());
        assertEquals(1234, second.micros());
    }

    @Test
    void framesLongerThanSnaplenAreCutButKeepTheirLength() throws IOException {
        byte[] big = new byte[PcapWriter.SNAPLEN + 10];
        Arrays.fill(big, (byte) 7);
        try (PcapWriter w = new PcapWriter(bytes, LinkType.RAW_IP, clock)) {
            w.write(PacketBuffer.wrap(big, 0, big.length));
        }
        PcapFile.Record r = written().records().get(0);
        assertEquals(PcapWriter.SNAPLEN, r.capturedLength());
        assertEquals(big.length, r.originalLength());
    }

    @Test
    void writingAfterCloseFails() throws IOException {
        PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, clock);
        w.close();
        w.close(); // idempotent
        assertThrows(IOException.class, () -> w.write(frame(20, 0)));
    }

    @Test
    void concurrentWritersNeverInterleaveRecords() throws Exception {
        int threads = 4;
        int framesEach = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, clock)) {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte fill = (byte) (t + 1);
                writers.add(() -> {
                    byte[] b = new byte[100 + fill];
                    Arrays.fill(b, fill);
                    for (int i = 0; i < framesEach; i++) {
                        w.write(PacketBuffer.wrap(b, 0, b.length));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<PcapFile.Record> records = written().records();
        assertEquals(threads * framesEach, records.size());
        for (PcapFile.Record r : records) {
            byte fill = r.data()[0];
            assertEquals(100 + fill, r.capturedLength());
            for (byte b : r.data()) {
                assertEquals(fill, b);
            }
        }
    }

    @Test
    void createWritesToAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("capture.pcap");
        try (PcapWriter w = PcapWriter.create(file, LinkType.ETHERNET, clock)) {
            w.write(frame(30, 0));
        }
        assertEquals(1, PcapFile.parse(Files.readAllBytes(file)).records().size());
    }

    @Test
    void aWriterWithItsInterruptFlagSetDoesNotCloseTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("capture.pcap");
        int longerThanTheStreamBuffer = 20_000;
        try (PcapWriter w = PcapWriter.create(file, LinkType.ETHERNET, clock)) {
            Thread.currentThread().interrupt(); // an application thread carrying a frame may have it set
            try {
                w.write(frame(longerThanTheStreamBuffer, 0));
            } finally {
                Thread.interrupted();
            }
            w.write(frame(30, 1));
        }
        assertEquals(2, PcapFile.parse(Files.readAllBytes(file)).records().size());
    }
}
