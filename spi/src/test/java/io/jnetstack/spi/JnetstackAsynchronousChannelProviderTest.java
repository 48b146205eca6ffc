package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpSubnet;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.stack.Stack;
import io.jnetstack.transport.tcp.TcpProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only spi can see of the asynchronous channels (their java.nio behaviour is in
 * compat-tests' contracts): pending operations hold no thread, they leave no waiter behind, a
 * program's NIO and asynchronous channels over one stack reach each other, and a connect that
 * stays pending (which the loopback never leaves) behaves as the JDK's.
 */
@Timeout(60)
class JnetstackAsynchronousChannelProviderTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final long LIMIT_SECONDS = 20;

    private final JnetstackAsynchronousChannelProvider provider = new JnetstackAsynchronousChannelProvider(Providers.loopbackStack());

    private record Pair(AsynchronousSocketChannel client, AsynchronousSocketChannel accepted) {
    }

    private static Pair connect(AsynchronousServerSocketChannel server, AsynchronousSocketChannel client) throws Exception {
        var accepting = server.accept();
        client.connect(server.getLocalAddress()).get(LIMIT_SECONDS, TimeUnit.SECONDS);
        return new Pair(client, accepting.get(LIMIT_SECONDS, TimeUnit.SECONDS));
    }

    /** A handler that completes {@code outcome} with the operation's failure, or with null when it succeeds. */
    private static <V> CompletionHandler<V, Void> failureInto(CompletableFuture<Throwable> outcome) {
        return new CompletionHandler<>() {
            @Override
            public void completed(V result, Void unused) {
                outcome.complete(null);
            }

            @Override
            public void failed(Throwable exc, Void unused) {
                outcome.complete(exc);
            }
        };
    }

    /** A thread per pending read would starve a one-thread group long before 200 reads complete. */
    @Test
    void twoHundredPendingReadsCompleteOnAGroupOfOneThread() throws Exception {
        AsynchronousChannelGroup group = provider.openAsynchronousChannelGroup(1, JnetstackAsynchronousChannelGroup.daemon("one"));
        List<Pair> pairs = new ArrayList<>();
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(group).bind(ANY_LOOPBACK_PORT)) {
            for (int i = 0; i < 200; i++) {
                pairs.add(connect(server, provider.openAsynchronousSocketChannel(group)));
            }
            CountDownLatch read = new CountDownLatch(pairs.size());
            for (Pair pair : pairs) {
                pair.accepted().read(ByteBuffer.allocate(1), null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void unused) {
                        if (n == 1) {
                            read.countDown();
                        }
                    }

                    @Override
                    public void failed(Throwable exc, Void unused) {
                        exc.printStackTrace();
                    }
                });
            }
            for (Pair pair : pairs) {
                pair.client().write(ByteBuffer.wrap(new byte[] {7})).get(LIMIT_SECONDS, TimeUnit.SECONDS);
            }
            assertTrue(read.await(LIMIT_SECONDS, TimeUnit.SECONDS), read.getCount() + " reads still pending");
        } finally {
            group.shutdownNow();
        }
        assertTrue(group.awaitTermination(LIMIT_SECONDS, TimeUnit.SECONDS), "the group terminated");
    }

    @Test
    void finishedAndTimedOutOperationsLeaveNoWaiterBehind() throws Exception {
        try (AsynchronousServerSocketChannel server = provider.openAsynchronousServerSocketChannel(null).bind(ANY_LOOPBACK_PORT)) {
            Pair pair = connect(server, provider.openAsynchronousSocketChannel(null));
            var queue = ((JnetstackAsynchronousSocketChannel) pair.accepted()).endpoint().waiterQueue();
            var pending = pair.accepted().read(ByteBuffer.allocate(4));
            assertEquals(1, queue.size(), "the pending read waits on the queue");
            pair.client().write(ByteBuffer.wrap(new byte[] {1, 2})).get(LIMIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(2, pending.get(LIMIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, queue.size(), "a completed read unregistered");

            CompletableFuture<Throwable> timedOut = new CompletableFuture<>();
            pair.accepted().read(ByteBuffer.allocate(4), 10, TimeUnit.MILLISECONDS, null, failureInto(timedOut));
            assertInstanceOf(InterruptedByTimeoutException.class, timedOut.get(LIMIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, queue.size(), "a timed-out read unregistered");
            pair.client().close();
            pair.accepted().close();
        }
    }

    @Test
    void nioAndAsynchronousChannelsOfOneStackReachEachOther() throws Exception {
        JnetstackSelectorProvider nio = new JnetstackSelectorProvider(Providers.loopbackStack());
        try (ServerSocketChannel server = nio.openServerSocketChannel().bind(ANY_LOOPBACK_PORT);
             AsynchronousSocketChannel client = provider.openAsynchronousSocketChannel(null)) {
            client.connect(server.getLocalAddress()).get(LIMIT_SECONDS, TimeUnit.SECONDS);
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {42})).get(LIMIT_SECONDS, TimeUnit.SECONDS);
                ByteBuffer in = ByteBuffer.allocate(1);
                assertEquals(1, accepted.read(in));
                assertEquals(42, in.get(0));
            }
        }
    }

    @Test
    void aGroupOfAnotherProviderIsRefused() throws Exception {
        JnetstackAsynchronousChannelProvider other = new JnetstackAsynchronousChannelProvider(Providers.loopbackStack());
        AsynchronousChannelGroup foreign = other.openAsynchronousChannelGroup(1, JnetstackAsynchronousChannelGroup.daemon("other"));
        try {
            assertThrows(IllegalChannelGroupException.class, () -> provider.openAsynchronousSocketChannel(foreign));
            assertThrows(IllegalChannelGroupException.class, () -> provider.openAsynchronousServerSocketChannel(foreign));
        } finally {
            foreign.shutdown();
        }
    }

    /** For the JDK's default-group property, which names a class the system class loader makes. */
    public static final class NamedThreads implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "named-by-property");
            t.setDaemon(true);
            return t;
        }
    }

    @Test
    void theDefaultGroupTakesItsThreadsFromTheFactoryTheJdksPropertyNames() throws Exception {
        String before = System.setProperty(JnetstackAsynchronousChannelProvider.THREAD_FACTORY_PROPERTY, NamedThreads.class.getName());
        try {
            JnetstackAsynchronousChannelProvider fresh = new JnetstackAsynchronousChannelProvider(Providers.loopbackStack());
            try (AsynchronousServerSocketChannel server = fresh.openAsynchronousServerSocketChannel(null).bind(ANY_LOOPBACK_PORT)) {
                Pair pair = connect(server, fresh.openAsynchronousSocketChannel(null));
                CompletableFuture<String> thread = new CompletableFuture<>();
                pair.client().write(ByteBuffer.wrap(new byte[] {1}), null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer n, Void unused) {
                        thread.complete(Thread.currentThread().getName());
                    }

                    @Override
                    public void failed(Throwable exc, Void unused) {
                        thread.completeExceptionally(exc);
                    }
                });
                assertEquals("named-by-property", thread.get(LIMIT_SECONDS, TimeUnit.SECONDS));
                pair.client().close();
                pair.accepted().close();
            }
        } finally {
            restore(JnetstackAsynchronousChannelProvider.THREAD_FACTORY_PROPERTY, before);
        }
    }

    @Test
    void aThreadFactoryPropertyThatNamesNoFactoryFailsNamingTheProperty() {
        String before = System.setProperty(JnetstackAsynchronousChannelProvider.THREAD_FACTORY_PROPERTY, "no.such.Factory");
        try {
            JnetstackAsynchronousChannelProvider fresh = new JnetstackAsynchronousChannelProvider(Providers.loopbackStack());
            Error e = assertThrows(Error.class, () -> fresh.openAsynchronousSocketChannel(null));
            assertEquals("java.nio.channels.DefaultThreadPool.threadFactory=no.such.Factory: expected a public "
                    + "java.util.concurrent.ThreadFactory class with a public no-argument constructor", e.getMessage());
        } finally {
            restore(JnetstackAsynchronousChannelProvider.THREAD_FACTORY_PROPERTY, before);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** A connect nobody answers (its ARP requests go into a pipe with no stack at the far end) stays pending. */
    @Test
    void aPendingConnectRefusesASecondConnectAndABindAndFailsWhenClosed() throws Exception {
        Stack stack = Stack.builder().network(NetworkProtocols.ipv4()).transport(new TcpProtocol()).build();
        try {
            stack.createNic("void", PipeLink.pair(1500).a()).addAddress(IpSubnet.parse("10.0.0.1/24"));
            JnetstackAsynchronousChannelProvider isolated = new JnetstackAsynchronousChannelProvider(stack);
            InetSocketAddress blackHole = new InetSocketAddress("10.0.0.2", 80);
            AsynchronousSocketChannel client = isolated.openAsynchronousSocketChannel(null);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            client.connect(blackHole, null, failureInto(outcome));
            assertThrows(ConnectionPendingException.class, () -> client.connect(blackHole));
            assertThrows(ConnectionPendingException.class, () -> client.bind(null));
            assertEquals(null, client.getRemoteAddress(), "no remote address until connected, as the JDK's");
            assertThrows(NotYetConnectedException.class, () -> client.read(ByteBuffer.allocate(1)));
            client.close();
            assertInstanceOf(AsynchronousCloseException.class, outcome.get(LIMIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            stack.close();
        }
    }

    @Test
    void aFailedConnectReportsTheStacksError() throws Exception {
        InetSocketAddress nobody;
        try (AsynchronousServerSocketChannel s = provider.openAsynchronousServerSocketChannel(null).bind(ANY_LOOPBACK_PORT)) {
            nobody = (InetSocketAddress) s.getLocalAddress();
        }
        AsynchronousSocketChannel client = provider.openAsynchronousSocketChannel(null);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(nobody).get(LIMIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("Connection refused", e.getCause().getMessage());
        assertTrue(!client.isOpen(), "a failed connect closes the channel");
    }
}
