package io.jnetstack.link;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.time.Clock;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes frames in the classic libpcap file format (tcpdump.org "pcap-savefile", also
 * draft-ietf-opsawg-pcap): a 24-byte file header, then per frame a 16-byte record header and the
 * frame's bytes. Everything is written big-endian with magic {@code 0xa1b2c3d4} (microsecond
 * timestamps); readers detect the byte order from the magic. Safe to use from several threads.
 */
public final class PcapWriter implements Closeable, Flushable {
    public static final int MAGIC = 0xa1b2c3d4;
    public static final short VERSION_MAJOR = 2;
    public static final short VERSION_MINOR = 4;
    /** Longest frame captured in full; longer frames are cut, keeping their original length in the record. */
    public static final int SNAPLEN = 262144;

    private final DataOutputStream out;
    private final LinkType linkType;
    private final Clock clock;
    // Timestamps are wall time at creation plus monotonic time since, so they never go backwards.
    private final long startMicros;
    private final long startNanos;
    private byte[] scratch = new byte[2048];
    private boolean closed;

    /** Writes the file header to {@code out} at once; the writer then owns {@code out}. */
    public PcapWriter(OutputStream out, LinkType linkType, Clock clock) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(Objects.requireNonNull(out, "out")));
        this.linkType = Objects.requireNonNull(linkType, "linkType");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startMicros = clock.currentTimeMillis() * 1000;
        this.startNanos = clock.nanoTime();
        writeFileHeader();
    }

    /** Creates (or truncates) {@code file} and writes its header. */
    public static PcapWriter create(Path file, LinkType linkType, Clock clock) throws IOException {
        return new PcapWriter(Files.newOutputStream(file), linkType, clock);
    }

    private void writeFileHeader() throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION_MAJOR);
        out.writeShort(VERSION_MINOR);
        out.writeInt(0); // thiszone: timestamps are UTC
        out.writeInt(0); // sigfigs: always 0 in practice
        out.writeInt(SNAPLEN);
        out.writeInt(linkType.pcapLinkType());
    }

    /** Framing of the frames this file holds. */
    public LinkType linkType() {
        return linkType;
    }

    /**
     * Appends one record for {@code frame}, stamped with the clock's current time; the frame is not
     * kept. A transport checksum the stack left {@linkplain PacketBuffer#isChecksumPartial partial}
     * for the link (loopback, TAP offload) is completed in the record, so the capture shows the
     * checksum the packet stands for.
     */
    public synchronized void write(PacketBuffer frame) throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        long micros = startMicros + (clock.nanoTime() - startNanos) / 1000;
        int length = frame.length();
        int captured = Math.min(length, SNAPLEN);
        out.writeInt((int) (micros / 1_000_000));
        out.writeInt((int) (micros % 1_000_000));
        out.writeInt(captured);
        out.writeInt(length);
        if (scratch.length < captured) {
            scratch = new byte[Math.max(captured, scratch.length * 2)];
        }
        frame.copyTo(0, scratch, 0, captured);
        if (frame.isChecksumPartial()) {
            completeChecksum(frame, scratch, captured);
        }
        out.write(scratch, 0, captured);
    }

    /**
     * Writes the finished checksum of {@code frame}'s partial transport checksum into its copy
     * {@code record}: the field holds the pseudo-header's sum, so the sum over the transport header
     * and payload, field included, is the whole checksum's (as Linux's {@code skb_checksum_help}).
     */
    private static void completeChecksum(PacketBuffer frame, byte[] record, int captured) {
        int start = frame.partialChecksumStart();
        int field = start + frame.partialChecksumField();
        if (field + 2 > captured) {
            return; // the field itself was cut off
        }
        int checksum = Checksum.finish(Checksum.add(0, frame, start, frame.length() - start));
        record[field] = (byte) (checksum >>> 8);
        record[field + 1] = (byte) checksum;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
