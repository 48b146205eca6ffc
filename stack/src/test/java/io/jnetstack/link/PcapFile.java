package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** An independent reader of classic pcap files, to check what {@link PcapWriter} wrote. */
record PcapFile(int magic, int versionMajor, int versionMinor, int thisZone, int sigFigs, int snapLen, int network,
        List<Record> records) {

    record Record(long seconds, long micros, int capturedLength, int originalLength, byte[] data) {
    }

    static PcapFile parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file); // big-endian, as the writer's magic says
        PcapFile header = new PcapFile(b.getInt(), b.getShort() & 0xffff, b.getShort() & 0xffff, b.getInt(), b.getInt(),
                b.getInt(), b.getInt(), new ArrayList<>());
        while (b.hasRemaining()) {
            long seconds = b.getInt() & 0xffffffffL;
            long micros = b.getInt() & 0xffffffffL;
            int captured = b.getInt();
            int original = b.getInt();
            byte[] data = new byte[captured];
            b.get(data);
            header.records.add(new Record(seconds, micros, captured, original, data));
        }
        assertEquals(0, b.remaining());
        return header;
    }
}
