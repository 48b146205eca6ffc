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
                completed = blockingWrite.run(srcs, offset, length, 0, null, this);
                return blockingWrite.count;
            } finally {
                end(completed);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** A blocking write, kept for the next one: used under the write lock. Done when every byte is written. */
    private final class BlockingWrite extends BlockingWaiter.BufferTransfer {
        BlockingWrite() {
            super(buffer.sinkWaiters(), Events.OUT);
        }

        @Override
        public boolean tryOnce() throws IOException {
            count += buffer.write(buffers, offset, length);
            return !Buffers.hasRemaining(buffers, offset, length);
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
