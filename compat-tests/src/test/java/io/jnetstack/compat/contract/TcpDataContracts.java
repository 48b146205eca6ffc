package io.jnetstack.compat.contract;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/** TCP data: reads and writes in both modes, scatter/gather, bulk transfer, flow control. */
public final class TcpDataContracts {
    private static final int BULK_BYTES = 4 << 20;

    private TcpDataContracts() {
    }

    @Contract
    public static void scatteringReadAndGatheringWriteKeepTheOrder() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            ByteBuffer[] sources = {Loopback.text("abc"), Loopback.text(""), Loopback.text("defgh")};
            long written = pair.client().write(sources);
            Check.equal(8L, written, "bytes gathered");
            Check.isTrue(!sources[2].hasRemaining(), "the last source was written out");
            ByteBuffer first = ByteBuffer.allocate(2);
            ByteBuffer second = ByteBuffer.allocate(6);
            long read = 0;
            for (int i = 0; i < 100 && read < 8; i++) {
                read += pair.accepted().read(new ByteBuffer[] {first, second});
            }
            Check.equal("ab", new String(first.array()), "first buffer");
            Check.equal("cdefgh", new String(second.array()), "second buffer");
        }
    }

    @Contract
    public static void aBulkTransferArrivesIntact() throws Exception {
        byte[] data = new byte[BULK_BYTES];
        new Random(42).nextBytes(data);
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<byte[]> digest = Blocked.start(() -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                long total = 0;
                while (total < BULK_BYTES) {
                    int n = pair.accepted().read(buffer.clear());
                    if (n < 0) {
                        throw new AssertionError("end of stream after " + total + " bytes");
                    }
                    sha.update(buffer.flip());
                    total += n;
                }
                return sha.digest();
            });
            ByteBuffer src = ByteBuffer.wrap(data);
            while (src.hasRemaining()) {
                pair.client().write(src);
            }
            Check.isTrue(Arrays.equals(MessageDigest.getInstance("SHA-256").digest(data), digest.result()), "SHA-256 of the received bytes");
        }
    }

    @Contract
    public static void aBlockingWriteWritesTheWholeBuffer() throws Exception {
        byte[] data = new byte[BULK_BYTES];
        new Random(42).nextBytes(data);
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<ByteBuffer> reader = Blocked.start(() -> {
                ByteBuffer received = ByteBuffer.allocate(BULK_BYTES + 1);
                while (pair.accepted().read(received) >= 0) {
                    Check.isTrue(received.hasRemaining(), "no more bytes than were sent");
                }
                return received;
            });
            Check.equal(BULK_BYTES, pair.client().write(ByteBuffer.wrap(data)), "one blocking write writes everything");
            pair.client().shutdownOutput();
            ByteBuffer received = reader.result();
            Check.isTrue(Arrays.equals(data, Arrays.copyOf(received.array(), received.position())), "the bytes arrived intact");
        }
    }

    @Contract
    public static void aBlockedReadEndsWithTheBytesThatArrive() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<String> read = Blocked.start(() -> Loopback.readText(pair.accepted(), 4));
            Loopback.writeText(pair.client(), "late");
            Check.equal("late", read.result(), "bytes read");
        }
    }

    @Contract
    public static void aNonBlockingReadWithoutDataReturnsZero() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            pair.client().configureBlocking(false);
            Check.equal(0, pair.client().read(ByteBuffer.allocate(10)), "bytes read");
        }
    }

    @Contract
    public static void readingIntoAFullBufferAndWritingAnEmptyOneReturnZero() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Check.equal(0, pair.client().read(ByteBuffer.allocate(0)), "read into a full buffer");
            Check.equal(0, pair.client().write(ByteBuffer.allocate(0)), "write of an empty buffer");
        }
    }

    @Contract
    public static void aDirectBufferReadsAndWritesLikeAHeapOne() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            ByteBuffer out = ByteBuffer.allocateDirect(5).put(Loopback.text("direc")).flip();
            Check.equal(5, pair.client().write(out), "bytes written");
            ByteBuffer in = ByteBuffer.allocateDirect(5);
            while (in.hasRemaining()) {
                pair.accepted().read(in);
            }
            Check.equal(Loopback.text("direc"), in.flip(), "bytes read");
        }
    }

    @Contract
    public static void aNonBlockingWriterFillsTheWindowThenResumesWhenThePeerReads() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open(); Selector selector = Selector.open()) {
            pair.client().configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(65536);
            long written = 0;
            // Bounded: a connection buffers a few MiB at most; 256 MiB means it never filled.
            for (int n; written < (256 << 20) && (n = pair.client().write(chunk.clear())) > 0; ) {
                written += n;
            }
            Check.isTrue(written < (256 << 20), "the writer filled the buffers; wrote " + written);
            SelectionKey key = pair.client().register(selector, SelectionKey.OP_WRITE);
            ByteBuffer sink = ByteBuffer.allocate(65536);
            long read = 0;
            // Read until the writer can go on; every byte read is a byte written, so this ends.
            while (selector.selectNow() == 0) {
                Check.isTrue(read < written, "read all " + written + " bytes and the writer is still blocked");
                read += pair.accepted().read(sink.clear());
            }
            Check.isTrue(key.isWritable(), "writable after the peer read");
        }
    }

    @Contract
    public static void aBlockingReadReturnsWhatHasArrivedWithoutFillingTheBuffer() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Loopback.writeText(pair.client(), "abc");
            ByteBuffer buffer = ByteBuffer.allocate(100);
            int n = pair.accepted().read(buffer);
            Check.isTrue(n >= 1 && n <= 3, "read returns what is there: " + n);
        }
    }
}
