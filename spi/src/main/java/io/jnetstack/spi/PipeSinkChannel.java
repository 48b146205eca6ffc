package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** The writable end of a {@link JnetstackPipe}. */
final class PipeSinkChannel extends Pipe.SinkChannel implements SelectableEndpoint {
    private final PipeBuffer buffer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Made by the first blocking write and reused under the write lock. */
    private BlockingWrite blockingWrite;

    PipeSinkChannel(SelectorProvider provider, PipeBuffer buffer) {
        super(provider);
        this.buffer = buffer;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** In blocking mode, returns only when every byte is written, as the JDK's channels do. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        writeLock.lock();
        try {
            if (!isOpen()) {
                throw new ClosedChannelException();
            }
            if (!isBlocking()) {
                return buffer.write(srcs, offset, length);
            }
            if (blockingWrite == null) {
                blockingWrite = new BlockingWrite();
            }
            boolean completed = false;
            begin();
            try {
                completed = blockingWrite.write(srcs, offset, length);
                return blockingWrite.written;
            } finally {
                end(completed);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** A blocking write's waiter and arguments, kept for the next blocking write: used under the write lock. */
    private final class BlockingWrite implements BlockingWaiter.Attempt {
        private final BlockingWaiter waiter = new BlockingWaiter(buffer.sinkWaiters(), Events.OUT);
        private ByteBuffer[] srcs;
        private int offset;
        private int length;
        private long written;

        /** Writes every byte; false, with {@link #written} what went, if the channel closed or the thread was interrupted first. */
        boolean write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            this.srcs = srcs;
            this.offset = offset;
            this.length = length;
            written = 0;
            try {
                return waiter.await(PipeSinkChannel.this, this);
            } finally {
                this.srcs = null; // the application's buffers are not kept
            }
        }

        @Override
        public boolean tryOnce() throws IOException {
            written += buffer.write(srcs, offset, length);
            return !Buffers.hasRemaining(srcs, offset, length);
        }
    }

    @Override
    public WaiterQueue waiterQueue() {
        return buffer.sinkWaiters();
    }

    @Override
    public int readyOps(int interestOps) {
        return buffer.writable() ? interestOps & SelectionKey.OP_WRITE : 0;
    }

    @Override
    protected void implCloseSelectableChannel() {
        buffer.closeSink();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        writeLock.lock(); // waits for a blocking write in progress, as the JDK's channels do
        writeLock.unlock();
    }
}
