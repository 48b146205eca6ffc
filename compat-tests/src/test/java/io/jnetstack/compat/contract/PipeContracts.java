package io.jnetstack.compat.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/** Pipe: bytes, end of stream, blocking and non-blocking reads, closes. */
public final class PipeContracts {
    private PipeContracts() {
    }

    @Contract
    public static void bytesWrittenToTheSinkAreReadFromTheSource() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Check.equal(5, pipe.sink().write(Loopback.text("hello")), "bytes written");
            Check.equal("hello", Loopback.readText(pipe.source(), 5), "bytes read");
        }
    }

    @Contract
    public static void closingTheSinkGivesTheSourceEndOfStreamAfterTheData() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            pipe.sink().write(Loopback.text("last"));
            pipe.sink().close();
            Check.equal("last", Loopback.readText(pipe.source(), 4), "data before the end");
            Check.equal(-1, pipe.source().read(ByteBuffer.allocate(1)), "read at the end");
        }
    }

    @Contract
    public static void nonBlockingSourceReadsZeroWhenEmpty() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            pipe.source().configureBlocking(false);
            Check.equal(0, pipe.source().read(ByteBuffer.allocate(8)), "read from an empty pipe");
        }
    }

    @Contract
    public static void blockingSourceReadWaitsForAWrite() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Blocked<Integer> read = Blocked.start(() -> pipe.source().read(ByteBuffer.allocate(8)));
            pipe.sink().write(Loopback.text("abc"));
            Check.equal(3, read.result(), "bytes the blocked read got");
        }
    }

    @Contract
    public static void closingTheSourceWakesItsBlockedReadWithAsynchronousClose() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Blocked<Integer> read = Blocked.start(() -> pipe.source().read(ByteBuffer.allocate(8)));
            pipe.source().close();
            read.failure(AsynchronousCloseException.class);
        }
    }

    @Contract
    public static void writingAfterTheSourceClosedFailsWithBrokenPipe() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            pipe.source().close();
            Check.thrown(IOException.class, "Broken pipe", () -> pipe.sink().write(Loopback.text("x")));
        }
    }

    @Contract
    public static void readingAClosedSourceThrowsClosedChannel() throws Exception {
        OpenPipe pipe = OpenPipe.blocking();
        pipe.close();
        Check.thrown(ClosedChannelException.class, () -> pipe.source().read(ByteBuffer.allocate(1)));
    }

    @Contract
    public static void pipeEndsOfferOnlyTheirDirection() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Check.equal(SelectionKey.OP_READ, pipe.source().validOps(), "source's valid operations");
            Check.equal(SelectionKey.OP_WRITE, pipe.sink().validOps(), "sink's valid operations");
        }
    }

    @Contract
    public static void nonBlockingSinkFillsUpThenAcceptsAgainAfterARead() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            pipe.sink().configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(4096);
            long written = 0;
            // Linux's pipe holds 64 KiB; 1 MiB bounds the loop should a sink never fill.
            for (int n; written < (1 << 20) && (n = pipe.sink().write(chunk.clear())) > 0; ) {
                written += n;
            }
            Check.isTrue(written > 0 && written < (1 << 20), "a non-blocking sink fills up; wrote " + written);
            Loopback.readText(pipe.source(), 4096);
            Check.isTrue(pipe.sink().write(chunk.clear()) > 0, "the sink accepts bytes again after a read");
        }
    }
}
