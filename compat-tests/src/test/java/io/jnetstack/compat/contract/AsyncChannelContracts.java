package io.jnetstack.compat.contract;

import static io.jnetstack.compat.contract.AsyncLoopback.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritePendingException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous socket channels in the default group: connect, accept, read and write with futures
 * and completion handlers, timeouts, pending-operation rules, closes, shutdowns, addresses, options.
 */
public final class AsyncChannelContracts {
    private AsyncChannelContracts() {
    }

    /** A completion handler that hands its outcome and its attachment to a future. */
    static final class Outcome<V> implements CompletionHandler<V, Object> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile Object attachment;
        volatile Thread thread;

        @Override
        public void completed(V value, Object attachment) {
            this.attachment = attachment;
            this.thread = Thread.currentThread();
            result.complete(value);
        }

        @Override
        public void failed(Throwable exc, Object attachment) {
            this.attachment = attachment;
            this.thread = Thread.currentThread();
            result.completeExceptionally(exc);
        }

        /** What the operation failed with, which must be a {@code type}. */
        <X extends Throwable> X failure(Class<X> type) {
            return Check.thrown(type, () -> {
                try {
                    await(result);
                } catch (ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            });
        }
    }

    /** The cause of the failure of {@code future}, which must be a {@code type}. */
    static <X extends Throwable> X failureOf(Future<?> future, Class<X> type) {
        ExecutionException e = Check.thrown(ExecutionException.class, () -> await(future));
        Check.isTrue(type.isInstance(e.getCause()), "expected " + type.getName() + " but the cause was " + e.getCause());
        return type.cast(e.getCause());
    }

    @Contract
    public static void futuresConnectAcceptAndExchangeBytes() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            AsyncLoopback.writeText(pair.client(), "hello");
            Check.equal("hello", AsyncLoopback.readText(pair.accepted(), 5), "at the server");
            AsyncLoopback.writeText(pair.accepted(), "world");
            Check.equal("world", AsyncLoopback.readText(pair.client(), 5), "at the client");
        }
    }

    @Contract
    public static void completionHandlersGetResultAndAttachment() throws Exception {
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(null);
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            Outcome<AsynchronousSocketChannel> accepted = new Outcome<>();
            server.accept("accept", accepted);
            Outcome<Void> connected = new Outcome<>();
            client.connect(server.getLocalAddress(), "connect", connected);
            Check.equal(null, await(connected.result), "connect's result");
            Check.equal("connect", connected.attachment, "connect's attachment");
            try (AsynchronousSocketChannel peer = await(accepted.result)) {
                Check.equal("accept", accepted.attachment, "accept's attachment");
                Outcome<Integer> written = new Outcome<>();
                client.write(Loopback.text("ping"), "write", written);
                Check.equal(4, await(written.result), "bytes written");
                Check.equal("write", written.attachment, "write's attachment");
                ByteBuffer in = ByteBuffer.allocate(4);
                Outcome<Integer> read = new Outcome<>();
                peer.read(in, "read", read);
                int n = await(read.result);
                Check.isTrue(n > 0 && n <= 4, "bytes read: " + n);
                Check.equal("read", read.attachment, "read's attachment");
            }
        }
    }

    @Contract
    public static void connectedChannelsReportEachOthersAddresses() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.equal(pair.server().getLocalAddress(), pair.client().getRemoteAddress(), "client's remote");
            Check.equal(pair.client().getLocalAddress(), pair.accepted().getRemoteAddress(), "accepted's remote");
            Check.equal(pair.server().getLocalAddress(), pair.accepted().getLocalAddress(), "accepted's local");
        }
    }

    @Contract
    public static void anUnconnectedChannelHasNoAddressesAndRefusesIo() throws Exception {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            Check.equal(null, channel.getLocalAddress(), "local address");
            Check.equal(null, channel.getRemoteAddress(), "remote address");
            Check.thrown(NotYetConnectedException.class, () -> channel.read(ByteBuffer.allocate(1)));
            Check.thrown(NotYetConnectedException.class, () -> channel.write(ByteBuffer.allocate(1)));
            Check.thrown(NotYetConnectedException.class, channel::shutdownInput);
            Check.thrown(NotYetConnectedException.class, channel::shutdownOutput);
        }
    }

    @Contract
    public static void aClosedChannelFailsOperationsWithClosedChannelException() throws Exception {
        AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null);
        pair.close();
        AsynchronousSocketChannel client = pair.client();
        Check.isTrue(!client.isOpen(), "closed");
        failureOf(client.read(ByteBuffer.allocate(1)), ClosedChannelException.class);
        failureOf(client.write(ByteBuffer.allocate(1)), ClosedChannelException.class);
        Outcome<Integer> read = new Outcome<>();
        client.read(ByteBuffer.allocate(1), null, read);
        read.failure(ClosedChannelException.class);
        failureOf(pair.server().accept(), ClosedChannelException.class);
        Check.thrown(ClosedChannelException.class, client::getLocalAddress);
        Check.thrown(ClosedChannelException.class, client::getRemoteAddress);
        Check.thrown(ClosedChannelException.class, () -> client.getOption(StandardSocketOptions.TCP_NODELAY));
        Check.thrown(ClosedChannelException.class, () -> client.bind(null));
        Check.thrown(ClosedChannelException.class, () -> pair.server().bind(null));
    }

    @Contract
    public static void bindingTwiceThrowsAlreadyBound() throws Exception {
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(null);
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            Check.thrown(AlreadyBoundException.class, () -> server.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
            client.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            Check.isTrue(((InetSocketAddress) client.getLocalAddress()).getPort() > 0, "bound to a port");
            Check.thrown(AlreadyBoundException.class, () -> client.bind(new InetSocketAddress(Loopback.ADDRESS, 0)));
        }
    }

    @Contract
    public static void acceptOnAnUnboundServerThrowsNotYetBound() throws Exception {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            Check.equal(null, server.getLocalAddress(), "local address");
            Check.thrown(NotYetBoundException.class, server::accept);
        }
    }

    @Contract
    public static void connectingAConnectedChannelThrowsAlreadyConnected() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.thrown(AlreadyConnectedException.class, () -> pair.client().connect(pair.server().getLocalAddress()));
        }
    }

    @Contract
    public static void aRefusedConnectFailsWithConnectExceptionAndClosesTheChannel() throws Exception {
        InetSocketAddress nobody = Loopback.closedPort();
        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            failureOf(client.connect(nobody), ConnectException.class);
            Check.isTrue(!client.isOpen(), "the channel closed");
        }
    }

    @Contract
    public static void aSecondReadWhileOneIsPendingThrowsReadPending() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            ByteBuffer in = ByteBuffer.allocate(8);
            Future<Integer> first = pair.client().read(in);
            Check.thrown(ReadPendingException.class, () -> pair.client().read(ByteBuffer.allocate(8)));
            AsyncLoopback.writeText(pair.accepted(), "x");
            Check.equal(1, await(first), "the first read's bytes");
            Check.equal('x', (char) in.get(0), "the byte");
        }
    }

    @Contract
    public static void aSecondWriteWhileOneIsPendingThrowsWritePending() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> pending = AsyncLoopback.pendingWrite(pair);
            Check.thrown(WritePendingException.class, () -> pair.client().write(ByteBuffer.allocate(1)));
            pair.client().close();
            failureOf(pending, AsynchronousCloseException.class);
        }
    }

    @Contract
    public static void aSecondAcceptWhileOneIsPendingThrowsAcceptPending() throws Exception {
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(null)) {
            Future<AsynchronousSocketChannel> first = server.accept();
            Check.thrown(AcceptPendingException.class, server::accept);
            try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                await(client.connect(server.getLocalAddress()));
                await(first).close();
            }
        }
    }

    @Contract
    public static void closeFailsAPendingReadWithAsynchronousClose() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> future = pair.client().read(ByteBuffer.allocate(8));
            pair.client().close();
            failureOf(future, AsynchronousCloseException.class);
        }
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Outcome<Integer> handled = new Outcome<>();
            pair.accepted().read(ByteBuffer.allocate(8), "a", handled);
            pair.accepted().close();
            handled.failure(AsynchronousCloseException.class);
            Check.equal("a", handled.attachment, "attachment");
        }
    }

    @Contract
    public static void closeFailsAPendingAcceptWithAsynchronousClose() throws Exception {
        AsynchronousServerSocketChannel server = AsyncLoopback.listen(null);
        Future<AsynchronousSocketChannel> accept = server.accept();
        server.close();
        failureOf(accept, AsynchronousCloseException.class);
    }

    @Contract
    public static void aReadTimeoutFailsWithInterruptedByTimeoutThenReadsAreRefused() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Outcome<Integer> read = new Outcome<>();
            pair.client().read(ByteBuffer.allocate(8), 50, TimeUnit.MILLISECONDS, null, read);
            read.failure(InterruptedByTimeoutException.class);
            Check.thrown(IllegalStateException.class, "Reading not allowed due to timeout or cancellation",
                    () -> pair.client().read(ByteBuffer.allocate(8)));
            AsyncLoopback.writeText(pair.client(), "still writes");
            Check.equal("still writes", AsyncLoopback.readText(pair.accepted(), 12), "the other direction");
        }
    }

    @Contract
    public static void cancellingAWriteRefusesLaterWrites() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.isTrue(AsyncLoopback.pendingWrite(pair).cancel(false), "cancelled");
            Check.thrown(IllegalStateException.class, "Writing not allowed due to timeout or cancellation",
                    () -> pair.client().write(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void aWriteTimeoutFailsWithInterruptedByTimeoutThenWritesAreRefused() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            pair.client().setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            pair.accepted().setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            Throwable failure = null;
            // The peer never reads: once its window shuts, a timed write fails.
            for (int i = 0; i < 10_000 && failure == null; i++) {
                Outcome<Integer> write = new Outcome<>();
                pair.client().write(chunk.clear(), 100, TimeUnit.MILLISECONDS, null, write);
                try {
                    await(write.result);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
            }
            Check.isTrue(failure instanceof InterruptedByTimeoutException, "a write timed out: " + failure);
            Check.thrown(IllegalStateException.class, "Writing not allowed due to timeout or cancellation",
                    () -> pair.client().write(ByteBuffer.allocate(1)));
        }
    }

    @Contract
    public static void cancellingAReadRefusesLaterReadsAndCancelTrueCloses() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> read = pair.client().read(ByteBuffer.allocate(8));
            Check.isTrue(read.cancel(false), "cancelled");
            Check.isTrue(read.isCancelled() && read.isDone(), "cancelled and done");
            Check.thrown(CancellationException.class, read::get);
            Check.isTrue(pair.client().isOpen(), "cancel(false) leaves the channel open");
            Check.thrown(IllegalStateException.class, "Reading not allowed due to timeout or cancellation",
                    () -> pair.client().read(ByteBuffer.allocate(8)));

            Future<Integer> other = pair.accepted().read(ByteBuffer.allocate(8));
            Check.isTrue(other.cancel(true), "cancelled");
            Check.isTrue(!pair.accepted().isOpen(), "cancel(true) closes the channel");
            Check.isTrue(!read.cancel(true), "a second cancel does nothing");
        }
    }

    @Contract
    public static void aCompletedFutureCannotBeCancelled() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> write = pair.client().write(Loopback.text("abc"));
            Check.equal(3, await(write), "written");
            Check.isTrue(!write.cancel(true), "cancel after completion");
            Check.isTrue(pair.client().isOpen(), "still open");
        }
    }

    @Contract
    public static void cancellingAnAcceptRefusesLaterAccepts() throws Exception {
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(null)) {
            Check.isTrue(server.accept().cancel(false), "cancelled");
            RuntimeException e = Check.thrown(RuntimeException.class, server::accept);
            Check.isTrue(e.getMessage() != null && e.getMessage().startsWith("Accept not allowed due"), "message: " + e.getMessage());
        }
    }

    @Contract
    public static void readsIntoAFullBufferCompleteWithZero() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.equal(0, await(pair.client().read(ByteBuffer.allocate(0))), "empty read");
            Check.equal(0, await(pair.client().write(ByteBuffer.allocate(0))), "empty write");
        }
    }

    @Contract
    public static void aReadOnlyBufferIsRefused() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.thrown(IllegalArgumentException.class, "Read-only buffer",
                    () -> pair.client().read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        }
    }

    @Contract
    public static void scatteringReadsAndGatheringWritesMoveEveryByte() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            ByteBuffer[] out = {Loopback.text("one "), Loopback.text("two "), Loopback.text("three")};
            Outcome<Long> written = new Outcome<>();
            pair.client().write(out, 0, 3, 0, TimeUnit.SECONDS, null, written);
            long total = await(written.result);
            while (total < 13) {
                Outcome<Long> more = new Outcome<>();
                pair.client().write(out, 0, 3, 0, TimeUnit.SECONDS, null, more);
                total += await(more.result);
            }
            Check.equal(13L, total, "gathered");
            ByteBuffer[] in = {ByteBuffer.allocate(6), ByteBuffer.allocate(7)};
            long read = 0;
            while (read < 13) {
                Outcome<Long> scattered = new Outcome<>();
                pair.accepted().read(in, 0, 2, 0, TimeUnit.SECONDS, null, scattered);
                read += await(scattered.result);
            }
            Check.equal("one tw", new String(in[0].array(), StandardCharsets.UTF_8), "first buffer");
            Check.equal("o three", new String(in[1].array(), StandardCharsets.UTF_8), "second buffer");
            Outcome<Long> full = new Outcome<>();
            pair.accepted().read(in, 0, 2, 0, TimeUnit.SECONDS, null, full);
            Check.equal(0L, await(full.result), "scattering read into full buffers");
        }
    }

    @Contract
    public static void shutdownOutputEndsThePeersStreamAndRefusesWrites() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            AsyncLoopback.writeText(pair.client(), "last");
            pair.client().shutdownOutput();
            Check.equal("last", AsyncLoopback.readText(pair.accepted(), 4), "bytes before the end");
            Check.equal(-1, await(pair.accepted().read(ByteBuffer.allocate(4))), "end of stream");
            failureOf(pair.client().write(ByteBuffer.allocate(1)), ClosedChannelException.class);
            AsyncLoopback.writeText(pair.accepted(), "reply");
            Check.equal("reply", AsyncLoopback.readText(pair.client(), 5), "the other direction");
        }
    }

    @Contract
    public static void shutdownInputEndsAPendingReadWithEndOfStream() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> read = pair.client().read(ByteBuffer.allocate(4));
            pair.client().shutdownInput();
            Check.equal(-1, await(read), "end of stream");
        }
    }

    @Contract
    public static void shutdownOutputFailsAPendingWriteWithBrokenPipe() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> pending = AsyncLoopback.pendingWrite(pair);
            pair.client().shutdownOutput();
            Check.equal("Broken pipe", failureOf(pending, IOException.class).getMessage(), "message");
        }
    }

    @Contract
    public static void aReadAfterShutdownInputCompletesWithEndOfStream() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            pair.client().shutdownInput();
            Check.equal(-1, await(pair.client().read(ByteBuffer.allocate(4))), "end of stream");
            pair.client().shutdownInput(); // again: nothing happens
        }
    }

    @Contract
    public static void aReadAfterThePeerClosedCompletesWithEndOfStream() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Future<Integer> read = pair.client().read(ByteBuffer.allocate(4));
            pair.accepted().close();
            Check.equal(-1, await(read), "end of stream");
        }
    }

    @Contract
    public static void aResetFailsThePendingReadThenReadsEndAndWritesBreak() throws Exception {
        try (ServerSocketChannel server = Loopback.listen();
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            await(client.connect(server.getLocalAddress()));
            Future<Integer> read = client.read(ByteBuffer.allocate(8));
            try (SocketChannel peer = server.accept()) {
                peer.setOption(StandardSocketOptions.SO_LINGER, 0); // its close resets the connection
            }
            Check.equal("Connection reset", failureOf(read, IOException.class).getMessage(), "the pending read's failure");
            Check.equal(-1, await(client.read(ByteBuffer.allocate(8))), "the next read");
            Check.equal("Broken pipe", failureOf(client.write(ByteBuffer.allocate(8)), IOException.class).getMessage(),
                    "a write's failure");
        }
    }

    @Contract
    public static void channelsOfferTheJdksOptions() throws Exception {
        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open();
             AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            for (SocketOption<?> option : List.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.TCP_NODELAY)) {
                Check.isTrue(client.supportedOptions().contains(option), option + " supported");
            }
            Check.isTrue(!client.supportedOptions().contains(StandardSocketOptions.SO_LINGER), "SO_LINGER not offered");
            Check.thrown(UnsupportedOperationException.class, () -> client.setOption(StandardSocketOptions.SO_LINGER, 1));
            Check.isTrue(server.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF), "server SO_RCVBUF");
            Check.isTrue(server.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR), "server SO_REUSEADDR");
            Check.isTrue(!server.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY), "server TCP_NODELAY");
            Check.equal(false, client.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY default");
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Check.equal(true, client.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY set");
            Check.thrown(IllegalArgumentException.class, () -> client.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            Check.thrown(NullPointerException.class, () -> client.getOption(null));
        }
    }

    @Contract
    public static void aNioChannelAndAnAsynchronousChannelTalkToEachOther() throws Exception {
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(null);
             SocketChannel nio = SocketChannel.open(server.getLocalAddress());
             AsynchronousSocketChannel accepted = await(server.accept())) {
            Loopback.writeText(nio, "from nio");
            Check.equal("from nio", AsyncLoopback.readText(accepted, 8), "at the asynchronous end");
        }
        try (ServerSocketChannel server = Loopback.listen();
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            await(client.connect(server.getLocalAddress()));
            try (SocketChannel accepted = server.accept()) {
                AsyncLoopback.writeText(client, "from async");
                Check.equal("from async", Loopback.readText(accepted, 10), "at the nio end");
            }
        }
    }

    @Contract
    public static void channelsComeFromTheDefaultAsynchronousProvider() throws IOException {
        try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open();
             AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()) {
            Check.isTrue(client.provider() == AsynchronousChannelProvider.provider(), "client's provider");
            Check.isTrue(server.provider() == AsynchronousChannelProvider.provider(), "server's provider");
        }
    }

    @Contract
    public static void handlersWithoutAHandlerAreRefused() throws Exception {
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(null)) {
            Check.thrown(NullPointerException.class, () -> pair.client().read(ByteBuffer.allocate(1), null, null));
            Check.thrown(NullPointerException.class, () -> pair.client().write(ByteBuffer.allocate(1), null, null));
            Check.thrown(NullPointerException.class, () -> pair.server().accept(null, null));
        }
    }
}
