package io.jnetstack.spi;

import java.io.IOException;
import java.util.concurrent.locks.Lock;

/** The lock order of a channel that reads and writes, for what must not run beside a read or a write. */
final class ChannelLocks {
    private ChannelLocks() {
    }

    /** A change of the channel's state. */
    @FunctionalInterface
    interface StateChange {
        void run() throws IOException;
    }

    /**
     * Runs {@code change} (a bind, connect or disconnect) holding the read lock, the write lock and
     * the state monitor, in that order, as the JDK's channels do: no read or write is in progress
     * while the channel's addresses change.
     */
    static void whileIdle(Lock readLock, Lock writeLock, Object stateLock, StateChange change) throws IOException {
        readLock.lock();
        writeLock.lock();
        try {
            synchronized (stateLock) {
                change.run();
            }
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }
}
