package io.jnetstack.compat.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/** Pipe: bytes, end of stream, blocking and non-blocking reads, closes. */
public final class PipeContracts {
    /** More than a pipe holds (Linux's: 64 KiB), so a blocking write of it waits for the reader. */
    private static final int MORE_THAN_A_PIPE_HOLDS = 1 << 20;

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
    public static void aGatheringWriteAndAScatteringReadKeepTheOrder() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Check.equal(4L, pipe.sink().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3, 4})}),
                    "bytes gathered");
            ByteBuffer first = ByteBuffer.allocate(1);
            ByteBuffer rest = ByteBuffer.allocate(3);
            Check.equal(4L, pipe.source().read(new ByteBuffer[] {first, rest}), "bytes scattered");
            Check.equal(ByteBuffer.wrap(new byte[] {1}), first.flip(), "first buffer");
            Check.equal(ByteBuffer.wrap(new byte[] {2, 3, 4}), rest.flip(), "second buffer");
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
    public static void aBlockingSinkWriteWaitsForTheReaderAndWritesEverything() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Blocked<Integer> write = Blocked.start(() -> pipe.sink().write(ByteBuffer.allocate(MORE_THAN_A_PIPE_HOLDS)));
            ByteBuffer chunk = ByteBuffer.allocate(8192);
            for (long read = 0; read < MORE_THAN_A_PIPE_HOLDS; ) {
                int n = pipe.source().read(chunk.clear());
                Check.isTrue(n > 0, "the source reads while the write goes on; got " + n);
                read += n;
            }
            Check.equal(MORE_THAN_A_PIPE_HOLDS, write.result(), "bytes the blocked write wrote");
        }
    }

    @Contract
    public static void interruptingABlockedSinkWriteClosesTheSink() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Blocked<Integer> write = Blocked.start(() -> pipe.sink().write(ByteBuffer.allocate(MORE_THAN_A_PIPE_HOLDS)));
            write.thread().interrupt();
            write.failure(ClosedByInterruptException.class);
            Check.isTrue(!pipe.sink().isOpen(), "the interrupted sink is closed");
        }
    }

    @Contract
    public static void aSourceReadFromAnInterruptedThreadClosesTheSource() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Thread.currentThread().interrupt();
            try {
                Check.thrown(ClosedByInterruptException.class, () -> pipe.source().read(ByteBuffer.allocate(1)));
            } finally {
                Check.isTrue(Thread.interrupted(), "the interrupt status stays set");
            }
            Check.isTrue(!pipe.source().isOpen(), "source closed");
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
    public static void closedEndsThrowClosedChannel() throws Exception {
        OpenPipe pipe = OpenPipe.blocking();
        pipe.close();
        Check.thrown(ClosedChannelException.class, () -> pipe.source().read(ByteBuffer.allocate(1)));
        Check.thrown(ClosedChannelException.class, () -> pipe.sink().write(ByteBuffer.allocate(1)));
    }

    @Contract
    public static void pipeEndsOfferOnlyTheirDirection() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            Check.equal(SelectionKey.OP_READ, pipe.source().validOps(), "source's valid operations");
            Check.equal(SelectionKey.OP_WRITE, pipe.sink().validOps(), "sink's valid operations");
        }
    }

    @Contract
    public static void aNonBlockingSinkWritesWhatFitsOfALargeBuffer() throws Exception {
        try (OpenPipe pipe = OpenPipe.blocking()) {
            pipe.sink().configureBlocking(false);
            ByteBuffer large = ByteBuffer.allocate(MORE_THAN_A_PIPE_HOLDS);
            int written = pipe.sink().write(large);
            Check.isTrue(written > 0 && written < MORE_THAN_A_PIPE_HOLDS, "wrote part of the buffer: " + written);
            Check.equal(MORE_THAN_A_PIPE_HOLDS - written, large.remaining(), "bytes left in the buffer");
            Check.equal(0, pipe.sink().write(large), "a write to the full sink");
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
