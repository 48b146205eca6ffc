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
            long total = 0;
            boolean completed = false;
            begin();
            try {
                while (Buffers.hasRemaining(srcs, offset, length)) {
                    Long n = BlockingWait.await(buffer.sinkWaiters(), Events.OUT, 0, this, () -> {
                        long w = buffer.write(srcs, offset, length);
                        return w == 0 ? null : w;
                    });
                    if (n == null) {
                        return total;
                    }
                    total += n;
                }
                completed = true;
                return total;
            } finally {
                end(completed);
            }
        } finally {
            writeLock.unlock();
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
