package io.jnetstack.compat.contract;

import static io.jnetstack.compat.contract.AsyncLoopback.await;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Asynchronous channel groups: fixed and cached thread pools, whose threads run handlers, and their shutdown. */
public final class AsyncGroupContracts {
    private AsyncGroupContracts() {
    }

    /** A thread factory that remembers its daemon threads. */
    static final class CountingFactory implements ThreadFactory {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "contract-group");
            t.setDaemon(true);
            threads.add(t);
            return t;
        }
    }

    @Contract
    public static void aFixedThreadPoolRunsHandlersOnItsThreads() throws Exception {
        CountingFactory factory = new CountingFactory();
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, factory);
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(group)) {
            AsyncChannelContracts.Outcome<Integer> read = new AsyncChannelContracts.Outcome<>();
            pair.accepted().read(ByteBuffer.allocate(4), null, read);
            AsyncLoopback.writeText(pair.client(), "ping");
            Check.isTrue(await(read.result) > 0, "read some bytes");
            Check.isTrue(factory.threads.contains(read.thread), "the handler ran on " + read.thread + ", not a group thread");
            AsyncChannelContracts.Outcome<Integer> write = new AsyncChannelContracts.Outcome<>();
            pair.client().write(Loopback.text("pong"), null, write);
            Check.equal(4, await(write.result), "written");
            Check.isTrue(factory.threads.contains(write.thread), "a handler completed at once ran on " + write.thread);
        } finally {
            group.shutdownNow();
        }
        Check.isTrue(group.awaitTermination(AsyncLoopback.LIMIT_SECONDS, TimeUnit.SECONDS), "terminated");
    }

    @Contract
    public static void aFixedThreadPoolNeedsAThread() {
        Check.thrown(IllegalArgumentException.class, () -> AsynchronousChannelGroup.withFixedThreadPool(0, new CountingFactory()));
    }

    @Contract
    public static void aGroupOnTheProgramsExecutorRunsHandlersThereAndShutsItDown() throws Exception {
        CountingFactory factory = new CountingFactory();
        ExecutorService executor = Executors.newCachedThreadPool(factory);
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withCachedThreadPool(executor, 1);
        try (AsyncLoopback.Pair pair = AsyncLoopback.Pair.open(group)) {
            AsyncChannelContracts.Outcome<Integer> read = new AsyncChannelContracts.Outcome<>();
            pair.accepted().read(ByteBuffer.allocate(4), null, read);
            AsyncLoopback.writeText(pair.client(), "ping");
            Check.isTrue(await(read.result) > 0, "read some bytes");
            Check.isTrue(factory.threads.contains(read.thread), "the handler ran on " + read.thread);
        }
        group.shutdown();
        Check.isTrue(group.awaitTermination(AsyncLoopback.LIMIT_SECONDS, TimeUnit.SECONDS), "terminated");
        Check.isTrue(executor.isShutdown(), "the group shut its executor down");
    }

    @Contract
    public static void anEmptyGroupTerminatesWhenShutDown() throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withThreadPool(Executors.newSingleThreadExecutor(new CountingFactory()));
        Check.isTrue(!group.isShutdown() && !group.isTerminated(), "running");
        group.shutdown();
        Check.isTrue(group.isShutdown(), "shut down");
        Check.isTrue(group.awaitTermination(AsyncLoopback.LIMIT_SECONDS, TimeUnit.SECONDS), "terminated");
        Check.isTrue(group.isTerminated(), "isTerminated");
        group.shutdown(); // again: nothing happens
    }

    @Contract
    public static void aShutDownGroupTakesNoNewChannels() throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(1, new CountingFactory());
        try (AsynchronousSocketChannel open = AsynchronousSocketChannel.open(group)) {
            group.shutdown();
            Check.thrown(ShutdownChannelGroupException.class, () -> AsynchronousSocketChannel.open(group));
            Check.thrown(ShutdownChannelGroupException.class, () -> AsynchronousServerSocketChannel.open(group));
            Check.isTrue(open.isOpen(), "a channel already in the group stays open");
            Check.isTrue(!group.isTerminated(), "not terminated while a channel is open");
        }
        Check.isTrue(group.awaitTermination(AsyncLoopback.LIMIT_SECONDS, TimeUnit.SECONDS), "terminated after the last close");
    }

    @Contract
    public static void shutdownNowClosesEveryChannelAndTerminates() throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(1, new CountingFactory());
        AsynchronousServerSocketChannel server = AsyncLoopback.listen(group);
        AsynchronousSocketChannel idle = AsynchronousSocketChannel.open(group);
        Future<AsynchronousSocketChannel> accept = server.accept();
        group.shutdownNow();
        Check.isTrue(!server.isOpen() && !idle.isOpen(), "both channels closed");
        AsyncChannelContracts.failureOf(accept, AsynchronousCloseException.class);
        Check.isTrue(group.awaitTermination(AsyncLoopback.LIMIT_SECONDS, TimeUnit.SECONDS), "terminated");
        Check.isTrue(group.isShutdown() && group.isTerminated(), "shut down and terminated");
    }

    @Contract
    public static void aGroupsChannelsAcceptAndEchoManyClients() throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, new CountingFactory());
        try (AsynchronousServerSocketChannel server = AsyncLoopback.listen(group)) {
            for (int i = 0; i < 20; i++) {
                try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group)) {
                    Future<AsynchronousSocketChannel> accepting = server.accept();
                    await(client.connect(server.getLocalAddress()));
                    try (AsynchronousSocketChannel accepted = await(accepting)) {
                        AsyncLoopback.writeText(client, "client " + (char) ('a' + i));
                        String got = AsyncLoopback.readText(accepted, 8);
                        AsyncLoopback.writeText(accepted, got);
                        Check.equal("client " + (char) ('a' + i), AsyncLoopback.readText(client, 8), "echo " + i);
                    }
                }
            }
        } finally {
            group.shutdownNow();
        }
    }
}
