package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pipe behaviour, each fact checked on the JDK's provider and on jnetstack's. */
@Timeout(20)
class PipeTest {
    /** More than either pipe holds, so a blocking write of it must wait for the reader. */
    private static final int MORE_THAN_CAPACITY = 4 * PipeBuffer.CAPACITY;

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void bytesWrittenToTheSinkAreReadFromTheSource(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        assertEquals(3, p.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertEquals(3, p.source().read(dst));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), dst.flip());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void scatterAndGather(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        assertEquals(4, p.sink().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3, 4})}));
        ByteBuffer a = ByteBuffer.allocate(1);
        ByteBuffer b = ByteBuffer.allocate(3);
        assertEquals(4, p.source().read(new ByteBuffer[] {a, b}));
        assertEquals(ByteBuffer.wrap(new byte[] {2, 3, 4}), b.flip());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closedSinkGivesEndOfStreamAfterTheData(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        p.sink().close();
        assertEquals(1, p.source().read(ByteBuffer.allocate(10)));
        assertEquals(-1, p.source().read(ByteBuffer.allocate(10)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void writeToAPipeWithItsSourceClosedIsABrokenPipe(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.source().close();
        IOException e = assertThrows(IOException.class, () -> p.sink().write(ByteBuffer.allocate(1)));
        assertEquals("Broken pipe", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closedEndsRefuseIo(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.source().close();
        p.sink().close();
        assertThrows(ClosedChannelException.class, () -> p.source().read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> p.sink().write(ByteBuffer.allocate(1)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingReadOfAnEmptyPipeReturnsZero(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.source().configureBlocking(false);
        assertEquals(0, p.source().read(ByteBuffer.allocate(1)));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void nonBlockingWriteToAFullPipeWritesWhatFits(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        p.sink().configureBlocking(false);
        ByteBuffer big = ByteBuffer.allocate(MORE_THAN_CAPACITY);
        int first = p.sink().write(big);
        assertEquals(MORE_THAN_CAPACITY - first, big.remaining());
        assertEquals(0, p.sink().write(big), "full");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingWriteWaitsForTheReaderAndWritesEverything(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        Background<Integer> written = Background.blocked(() -> p.sink().write(ByteBuffer.allocate(MORE_THAN_CAPACITY)));
        ByteBuffer dst = ByteBuffer.allocate(8192);
        long read = 0;
        while (read < MORE_THAN_CAPACITY) {
            dst.clear();
            read += p.source().read(dst);
        }
        assertEquals(MORE_THAN_CAPACITY, written.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingReadWaitsForTheWriter(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        Background<Integer> read = Background.blocked(() -> p.source().read(ByteBuffer.allocate(10)));
        p.sink().write(ByteBuffer.wrap(new byte[] {5, 6}));
        assertEquals(2, read.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedRead(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        Background<Integer> read = Background.blocked(() -> p.source().read(ByteBuffer.allocate(10)));
        p.source().close();
        assertThrows(AsynchronousCloseException.class, read::get);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interruptEndsABlockedWriteAndClosesTheSink(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        Background<Integer> written = Background.blocked(() -> p.sink().write(ByteBuffer.allocate(MORE_THAN_CAPACITY)));
        written.thread().interrupt();
        assertThrows(ClosedByInterruptException.class, written::get);
        assertFalse(p.sink().isOpen());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readOnAnAlreadyInterruptedThreadClosesTheChannel(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> p.source().read(ByteBuffer.allocate(1)));
        } finally {
            Thread.interrupted();
        }
        assertFalse(p.source().isOpen());
    }
}
