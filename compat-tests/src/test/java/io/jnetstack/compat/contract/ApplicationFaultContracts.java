package io.jnetstack.compat.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;

/**
 * What an application's own threads do to its channels: interrupts and closes of blocked calls,
 * a selector closed under a select, a peer that never reads. Each ends the call with the JDK's
 * exception, keeps the interrupt status where the specification says so, and deadlocks nothing.
 */
public final class ApplicationFaultContracts {
    /** More than any connection buffers (a few MiB): a write of this many bytes blocks once the peer stops reading. */
    private static final int MORE_THAN_BUFFERS_HOLD = 64 << 20;

    private ApplicationFaultContracts() {
    }

    /** The call, on a thread of its own, reporting whether its thread was still interrupted when it threw. */
    private static <T> Blocked<T> startReportingInterruptStatus(Callable<T> call) {
        return Blocked.start(() -> {
            try {
                return call.call();
            } catch (ClosedByInterruptException e) {
                Check.isTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
                throw e;
            }
        });
    }

    /** Interrupts a blocked call and checks the specification's outcome: ClosedByInterruptException, interrupt status kept. */
    private static void interruptAndExpectClosedByInterrupt(Blocked<?> call) {
        call.thread().interrupt();
        call.failure(ClosedByInterruptException.class);
    }

    /** Writes without blocking until the connection takes nothing more; returns the bytes it took. */
    private static long fill(SocketChannel writer) throws IOException {
        writer.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(65536);
        long written = 0;
        for (int n; (n = writer.write(chunk.clear())) > 0; ) {
            written += n;
            Check.isTrue(written < MORE_THAN_BUFFERS_HOLD, "a peer that never reads still took " + written + " bytes");
        }
        writer.configureBlocking(true);
        return written;
    }

    @Contract
    public static void anInterruptedBlockedReadKeepsTheInterruptStatus() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Blocked<Integer> read = startReportingInterruptStatus(() -> pair.client().read(ByteBuffer.allocate(1)));
            interruptAndExpectClosedByInterrupt(read);
            Check.isTrue(!pair.client().isOpen(), "the interrupted channel is closed");
        }
    }

    @Contract
    public static void interruptingAWriteBlockedOnAPeerThatNeverReadsClosesTheChannel() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            fill(pair.client());
            Blocked<Integer> write = startReportingInterruptStatus(
                    () -> pair.client().write(ByteBuffer.allocate(MORE_THAN_BUFFERS_HOLD)));
            interruptAndExpectClosedByInterrupt(write);
            Check.isTrue(!pair.client().isOpen(), "the interrupted channel is closed");
            Check.thrown(ClosedChannelException.class, () -> pair.client().write(Loopback.text("x")));
        }
    }

    @Contract
    public static void interruptingABlockedAcceptClosesTheServerChannelAndKeepsTheStatus() throws Exception {
        try (ServerSocketChannel server = Loopback.listen()) {
            Blocked<SocketChannel> accept = startReportingInterruptStatus(server::accept);
            interruptAndExpectClosedByInterrupt(accept);
            Check.isTrue(!server.isOpen(), "the interrupted server channel is closed");
        }
    }

    @Contract
    public static void aConnectFromAnInterruptedThreadClosesTheChannel() throws Exception {
        try (ServerSocketChannel server = Loopback.listen(); SocketChannel client = SocketChannel.open()) {
            Thread.currentThread().interrupt();
            try {
                Check.thrown(ClosedByInterruptException.class, () -> client.connect(server.getLocalAddress()));
            } finally {
                Check.isTrue(Thread.interrupted(), "the interrupt status stays set");
            }
            Check.isTrue(!client.isOpen(), "channel closed");
        }
    }

    @Contract
    public static void aWriterBlockedOnAPeerThatNeverReadsFailsWhenThePeerCloses() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            fill(pair.client());
            Blocked<Integer> write = Blocked.start(() -> pair.client().write(ByteBuffer.allocate(MORE_THAN_BUFFERS_HOLD)));
            pair.accepted().close(); // with unread data: the peer resets the connection
            // As write(2): a write that took bytes before the failure returns them, and the next one fails.
            IOException e = Check.thrown(IOException.class, () -> {
                int took = write.result();
                Check.isTrue(took > 0, "a write the failure ended returns the bytes it took: " + took);
                pair.client().write(ByteBuffer.allocate(1));
            });
            Check.isTrue(!(e instanceof ClosedChannelException), "a connection error, not a closed channel: " + e);
            Check.isTrue(pair.client().isOpen(), "the writer's channel stays open until it is closed");
        }
    }

    @Contract
    public static void closingTheSelectorUnderABlockedSelectDeregistersItsChannels() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open()) {
            Selector selector = Selector.open();
            pair.client().configureBlocking(false);
            SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ);
            Blocked<Integer> select = Blocked.start(selector::select);
            selector.close();
            Check.equal(0, select.result(), "keys selected by the select the close ended");
            Check.isTrue(!key.isValid(), "the key is cancelled");
            Check.isTrue(!pair.client().isRegistered(), "the channel is deregistered");
            pair.client().configureBlocking(true);
            Loopback.writeText(pair.accepted(), "still connected");
            Check.equal("still connected", Loopback.readText(pair.client(), 15), "the channel works on");
        }
    }
}
