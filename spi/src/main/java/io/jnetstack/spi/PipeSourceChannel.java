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

/** The readable end of a {@link JnetstackPipe}. */
final class PipeSourceChannel extends Pipe.SourceChannel implements SelectableEndpoint {
    private final PipeBuffer buffer;
    private final ReentrantLock readLock = new ReentrantLock();
    /** Made by the first blocking read and reused under the read lock. */
    private BlockingRead blockingRead;

    PipeSourceChannel(SelectorProvider provider, PipeBuffer buffer) {
        super(provider);
        this.buffer = buffer;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {dst}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        readLock.lock();
        try {
            if (!isOpen()) {
                throw new ClosedChannelException();
            }
            if (!isBlocking()) {
                return buffer.read(dsts, offset, length);
            }
            if (blockingRead == null) {
                blockingRead = new BlockingRead();
            }
            boolean completed = false;
            begin();
            try {
                completed = blockingRead.run(dsts, offset, length, 0, null, this);
                return blockingRead.count;
            } finally {
                end(completed);
            }
        } finally {
            readLock.unlock();
        }
    }

    /** A blocking read, kept for the next one: used under the read lock. */
    private final class BlockingRead extends BlockingWaiter.BufferTransfer {
        BlockingRead() {
            super(buffer.sourceWaiters(), Events.IN);
        }

        @Override
        public boolean tryOnce() throws IOException {
            count = buffer.read(buffers, offset, length);
            return count != 0 || !Buffers.hasRemaining(buffers, offset, length);
        }
    }

    @Override
    public WaiterQueue waiterQueue() {
        return buffer.sourceWaiters();
    }

    @Override
    public int readyOps(int interestOps) {
        return buffer.readable() ? interestOps & SelectionKey.OP_READ : 0;
    }

    @Override
    protected void implCloseSelectableChannel() {
        buffer.closeSource();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        readLock.lock(); // waits for a blocking read in progress, as the JDK's channels do
        readLock.unlock();
    }
}
