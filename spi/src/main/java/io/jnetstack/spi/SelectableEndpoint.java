package io.jnetstack.spi;

import io.jnetstack.waiter.Events;
import io.jnetstack.waiter.WaiterQueue;
import java.nio.channels.SelectionKey;

/**
 * What the selector needs from a channel of this provider: the waiter queue where readiness
 * changes are announced, and the reading of the channel's readiness as NIO operations.
 */
interface SelectableEndpoint {
    /** Where the channel announces that its readiness may have changed. */
    WaiterQueue waiterQueue();

    /** The operations among {@code interestOps} that would not block now. */
    int readyOps(int interestOps);

    /** The waiter events that may make one of {@code interestOps} ready (0 for none). */
    static int eventsFor(int interestOps) {
        int events = 0;
        if ((interestOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= Events.IN;
        }
        if ((interestOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= Events.OUT;
        }
        // An error or hang-up makes every interesting operation ready, as with poll(2).
        return events == 0 ? 0 : events | Events.ERR | Events.HUP;
    }
}
