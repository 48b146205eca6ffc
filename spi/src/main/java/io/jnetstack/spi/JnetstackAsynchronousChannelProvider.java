package io.jnetstack.spi;

import io.jnetstack.stack.Stack;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code java.nio} provider of asynchronous channels on jnetstack. Install it with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=io.jnetstack.spi.JnetstackAsynchronousChannelProvider}
 * (or by putting the -all jar on the class path, through its service file): the program's
 * {@code AsynchronousSocketChannel.open()}, {@code AsynchronousServerSocketChannel.open()} and
 * {@code AsynchronousChannelGroup.with*} then use it.
 *
 * <p>The no-argument constructor uses the JVM's default stack, the one
 * {@link JnetstackSelectorProvider}'s no-argument constructor uses, so a program's NIO and
 * asynchronous channels reach each other. The other constructor runs the channels on a stack the
 * program built.
 */
public class JnetstackAsynchronousChannelProvider extends AsynchronousChannelProvider {
    /** The JDK's property naming the thread factory of the default group's pool. */
    static final String THREAD_FACTORY_PROPERTY = "java.nio.channels.DefaultThreadPool.threadFactory";
    /** The JDK's property for the default group's initial thread count. */
    static final String INITIAL_SIZE_PROPERTY = "java.nio.channels.DefaultThreadPool.initialSize";
    private static final AtomicInteger DEFAULT_GROUP_THREADS = new AtomicInteger();

    private final JnetstackSelectorProvider stacks;
    private final Object defaultGroupLock = new Object();
    private JnetstackAsynchronousChannelGroup defaultGroup;

    /** The provider over the default stack, which the {@code jnetstack.*} system properties describe. */
    public JnetstackAsynchronousChannelProvider() {
        this.stacks = new JnetstackSelectorProvider();
    }

    /** A provider whose channels run on {@code stack}. */
    public JnetstackAsynchronousChannelProvider(Stack stack) {
        this.stacks = new JnetstackSelectorProvider(stack);
    }

    /** The stack this provider's channels run on, built now if it is the default one and not built yet. */
    public Stack stack() throws IOException {
        return stacks.stack();
    }

    /** As the JDK's fixed thread pool: {@code nThreads} threads from {@code threadFactory}, all started now. */
    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) throws IOException {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("'nThreads' must be > 0");
        }
        Objects.requireNonNull(threadFactory);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(nThreads, nThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threadFactory);
        pool.prestartAllCoreThreads();
        return new JnetstackAsynchronousChannelGroup(this, pool);
    }

    /**
     * A group on the program's {@code executor}, which the group owns and shuts down when it
     * terminates. No thread waits for I/O here, so {@code initialSize} (the JDK's count of such
     * threads) asks for nothing.
     */
    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) throws IOException {
        Objects.requireNonNull(executor);
        return new JnetstackAsynchronousChannelGroup(this, executor);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) throws IOException {
        JnetstackAsynchronousChannelGroup g = groupOf(group);
        return new JnetstackAsynchronousServerSocketChannel(g, stacks.tcp().newEndpoint());
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) throws IOException {
        JnetstackAsynchronousChannelGroup g = groupOf(group);
        return new JnetstackAsynchronousSocketChannel(g, stacks.tcp().newEndpoint());
    }

    /** {@code group}, or the default group for null; a shut-down group refuses new channels. */
    private JnetstackAsynchronousChannelGroup groupOf(AsynchronousChannelGroup group) {
        if (group == null) {
            return defaultGroup();
        }
        if (!(group instanceof JnetstackAsynchronousChannelGroup g) || g.provider() != this) {
            throw new IllegalChannelGroupException();
        }
        if (g.isShutdown()) {
            throw new ShutdownChannelGroupException();
        }
        return g;
    }

    /**
     * As the JDK's default group: created on first use, a cached pool of daemon threads (so it
     * never keeps the JVM alive) or of the threads of the factory named by
     * {@value #THREAD_FACTORY_PROPERTY}, and never shut down, since no program can reach it to do so.
     */
    private JnetstackAsynchronousChannelGroup defaultGroup() {
        synchronized (defaultGroupLock) {
            if (defaultGroup == null) {
                checkInitialSize();
                defaultGroup = new JnetstackAsynchronousChannelGroup(this, Executors.newCachedThreadPool(defaultThreadFactory()));
            }
            return defaultGroup;
        }
    }

    /**
     * The factory the JDK's property names, or daemon threads.
     *
     * @throws Error naming the property when its class cannot be made a thread factory, as the JDK's
     */
    private static ThreadFactory defaultThreadFactory() {
        String name = System.getProperty(THREAD_FACTORY_PROPERTY);
        if (name == null) {
            return r -> JnetstackAsynchronousChannelGroup.daemon("jnetstack-async-" + DEFAULT_GROUP_THREADS.incrementAndGet())
                    .newThread(r);
        }
        try {
            Class<?> factory = Class.forName(name, true, ClassLoader.getSystemClassLoader());
            return (ThreadFactory) factory.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new Error(THREAD_FACTORY_PROPERTY + "=" + name
                    + ": expected a public java.util.concurrent.ThreadFactory class with a public no-argument constructor", e);
        }
    }

    /**
     * The JDK's check of {@value #INITIAL_SIZE_PROPERTY}. The number itself asks for nothing here:
     * it counts the JDK's threads that wait for I/O, and no thread waits for I/O here.
     *
     * @throws Error naming the property when it is not an integer, as the JDK's
     */
    private static void checkInitialSize() {
        String value = System.getProperty(INITIAL_SIZE_PROPERTY);
        if (value != null) {
            try {
                Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new Error(INITIAL_SIZE_PROPERTY + "=" + value + ": expected an integer", e);
            }
        }
    }
}
