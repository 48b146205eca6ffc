package io.jnetstack.compat.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Selector: ready sets, interest changes, wakeup, cancel, close during select, selected-key sets. */
public final class SelectorContracts {
    private SelectorContracts() {
    }

    private static void writeByte(OpenPipe pipe) throws IOException {
        Check.equal(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {7})), "bytes written to the pipe");
    }

    /** Registers the pipe's source for reading, makes it readable and selects it. */
    private static SelectionKey selectReadable(Selector selector, OpenPipe pipe) throws IOException {
        SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
        writeByte(pipe);
        Check.equal(1, selector.select(5000), "first select");
        return key;
    }

    @Contract
    public static void theSelectorAndChannelsComeFromTheDefaultProvider() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            Check.equal(SelectorProvider.provider(), selector.provider(), "selector's provider");
            Check.equal(SelectorProvider.provider(), pipe.source().provider(), "pipe's provider");
        }
    }

    @Contract
    public static void aReadableChannelIsSelectedWithItsReadySet() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            writeByte(pipe);
            Check.equal(1, selector.select(5000), "keys selected");
            Check.equal(Set.of(key), selector.selectedKeys(), "selected keys");
            Check.equal(SelectionKey.OP_READ, key.readyOps(), "ready operations");
            Check.isTrue(key.isReadable() && !key.isWritable(), "readable only");
        }
    }

    @Contract
    public static void selectNowFindsNothingOnIdleChannels() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.source().register(selector, SelectionKey.OP_READ);
            Check.equal(0, selector.selectNow(), "keys selected");
            Check.isTrue(selector.selectedKeys().isEmpty(), "no selected keys");
        }
    }

    @Contract
    public static void aWritableChannelIsSelectedAtOnce() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.sink().register(selector, SelectionKey.OP_WRITE);
            Check.equal(1, selector.selectNow(), "keys selected");
            Check.isTrue(key.isWritable(), "writable");
        }
    }

    @Contract
    public static void aKeyStillInTheSelectedSetIsNotCountedAgain() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            selectReadable(selector, pipe);
            Check.equal(0, selector.selectNow(), "second select, key still selected and ready set unchanged");
            Check.equal(1, selector.selectedKeys().size(), "selected keys");
        }
    }

    @Contract
    public static void aStillReadyChannelIsSelectedAgainAfterItsKeyIsRemoved() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            selectReadable(selector, pipe);
            selector.selectedKeys().clear();
            Check.equal(1, selector.selectNow(), "readiness is level-triggered");
        }
    }

    @Contract
    public static void aDrainedChannelIsNoLongerSelected() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            selectReadable(selector, pipe);
            selector.selectedKeys().clear();
            Check.equal(1, pipe.source().read(ByteBuffer.allocate(10)), "bytes drained");
            Check.equal(0, selector.selectNow(), "select after draining");
        }
    }

    @Contract
    public static void anInterestSetChangeTakesEffectAtTheNextSelect() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, 0);
            writeByte(pipe);
            Check.equal(0, selector.selectNow(), "no interest, nothing selected");
            key.interestOps(SelectionKey.OP_READ);
            Check.equal(1, selector.selectNow(), "selected once interested");
            selector.selectedKeys().clear();
            key.interestOps(0);
            Check.equal(0, selector.selectNow(), "nothing selected after losing interest");
        }
    }

    @Contract
    public static void wakeupBeforeSelectMakesItReturnAtOnce() throws Exception {
        try (Selector selector = Selector.open()) {
            selector.wakeup();
            long start = System.nanoTime();
            Check.equal(0, selector.select(10_000), "keys selected");
            Check.isTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "select returned at once");
        }
    }

    @Contract
    public static void wakeupFromAnotherThreadEndsABlockedSelect() throws Exception {
        try (Selector selector = Selector.open()) {
            Blocked<Integer> select = Blocked.start(selector::select);
            selector.wakeup();
            Check.equal(0, select.result(), "keys selected");
        }
    }

    @Contract
    public static void selectNowClearsAPendingWakeup() throws Exception {
        try (Selector selector = Selector.open()) {
            selector.wakeup();
            selector.wakeup();
            selector.selectNow();
            long start = System.nanoTime();
            Check.equal(0, selector.select(200), "keys selected");
            Check.isTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "select waited for its timeout");
        }
    }

    @Contract
    public static void selectWithATimeoutReturnsZeroWhenItExpires() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.source().register(selector, SelectionKey.OP_READ);
            long start = System.nanoTime();
            Check.equal(0, selector.select(100), "keys selected");
            Check.isTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(80), "select waited for its timeout");
        }
    }

    @Contract
    public static void aNegativeTimeoutIsRejected() throws Exception {
        try (Selector selector = Selector.open()) {
            Check.thrown(IllegalArgumentException.class, "Negative timeout", () -> selector.select(-1));
        }
    }

    @Contract
    public static void aWriteFromAnotherThreadEndsABlockedSelect() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.source().register(selector, SelectionKey.OP_READ);
            Blocked<Integer> select = Blocked.start(selector::select);
            writeByte(pipe);
            Check.equal(1, select.result(), "keys selected");
        }
    }

    @Contract
    public static void aCancelledKeyIsInvalidAndLeavesTheKeySetAtTheNextSelect() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            key.cancel();
            Check.isTrue(!key.isValid(), "cancelled key is invalid");
            Check.isTrue(selector.keys().contains(key), "still in the key set until the next select");
            selector.selectNow();
            Check.isTrue(!selector.keys().contains(key), "gone from the key set after select");
            Check.equal(null, pipe.source().keyFor(selector), "keyFor after select");
            Check.isTrue(!pipe.source().isRegistered(), "channel deregistered");
        }
    }

    @Contract
    public static void aCancelledKeyRefusesInterestAndReadyQueries() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            key.cancel();
            Check.thrown(CancelledKeyException.class, () -> key.interestOps(0));
            Check.thrown(CancelledKeyException.class, key::interestOps);
            Check.thrown(CancelledKeyException.class, key::readyOps);
        }
    }

    @Contract
    public static void reregisteringBeforeTheCancelledKeyIsFlushedThrowsCancelledKey() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.source().register(selector, SelectionKey.OP_READ).cancel();
            Check.thrown(CancelledKeyException.class, () -> pipe.source().register(selector, SelectionKey.OP_READ));
            selector.selectNow();
            Check.isTrue(pipe.source().register(selector, SelectionKey.OP_READ).isValid(), "registers again after select");
        }
    }

    @Contract
    public static void closingAChannelCancelsItsKey() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            pipe.source().close();
            Check.isTrue(!key.isValid(), "key of a closed channel is invalid");
            selector.selectNow();
            Check.isTrue(selector.keys().isEmpty(), "key set after select");
        }
    }

    @Contract
    public static void closingTheSelectorEndsABlockedSelect() throws Exception {
        try (OpenPipe pipe = OpenPipe.nonBlocking()) {
            Selector selector = Selector.open();
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            Blocked<Integer> select = Blocked.start(selector::select);
            selector.close();
            Check.equal(0, select.result(), "keys selected by the interrupted select");
            Check.isTrue(!selector.isOpen(), "selector closed");
            Check.isTrue(!key.isValid(), "the key of the closed selector is invalid");
            Check.thrown(ClosedSelectorException.class, selector::keys);
            Check.thrown(ClosedSelectorException.class, selector::selectNow);
        }
    }

    @Contract
    public static void interruptingABlockedSelectEndsItAndKeepsTheStatus() throws Exception {
        try (Selector selector = Selector.open()) {
            Blocked<Boolean> interrupted = Blocked.start(() -> {
                selector.select();
                return Thread.currentThread().isInterrupted();
            });
            interrupted.thread().interrupt();
            Check.isTrue(interrupted.result(), "the interrupt status stays set");
            Check.isTrue(selector.isOpen(), "an interrupt does not close a selector");
        }
    }

    @Contract
    public static void registeringDuringABlockedSelectDoesNotWaitForIt() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            Blocked<Integer> select = Blocked.start(selector::select);
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            Check.isTrue(selector.keys().contains(key), "the new key is in the key set");
            selector.wakeup();
            select.result();
            writeByte(pipe);
            Check.equal(1, selector.selectNow(), "the next selection sees the new key");
        }
    }

    @Contract
    public static void aClosedSelectorThrowsClosedSelector() throws Exception {
        Selector selector = Selector.open();
        selector.close();
        Check.thrown(ClosedSelectorException.class, selector::selectNow);
        Check.thrown(ClosedSelectorException.class, selector::select);
        Check.thrown(ClosedSelectorException.class, selector::keys);
        Check.thrown(ClosedSelectorException.class, selector::selectedKeys);
        selector.wakeup();
        selector.close();
    }

    @Contract
    public static void closingTheSelectorInvalidatesKeysAndDeregistersChannels() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            selector.close();
            Check.isTrue(!key.isValid(), "key invalid");
            Check.isTrue(!pipe.source().isRegistered(), "channel deregistered");
            pipe.source().configureBlocking(true);
        }
    }

    @Contract
    public static void aBlockingChannelCannotBeRegistered() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.blocking()) {
            Check.thrown(IllegalBlockingModeException.class, () -> pipe.source().register(selector, SelectionKey.OP_READ));
        }
    }

    @Contract
    public static void aRegisteredChannelCannotBecomeBlocking() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.source().register(selector, SelectionKey.OP_READ);
            Check.thrown(IllegalBlockingModeException.class, () -> pipe.source().configureBlocking(true));
        }
    }

    @Contract
    public static void registeringForAnOperationTheChannelLacksIsRejected() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            Check.thrown(IllegalArgumentException.class, () -> pipe.source().register(selector, SelectionKey.OP_WRITE));
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
            Check.thrown(IllegalArgumentException.class, () -> key.interestOps(SelectionKey.OP_ACCEPT));
            Check.thrown(IllegalArgumentException.class, () -> key.interestOps(SelectionKey.OP_WRITE));
            Check.thrown(IllegalArgumentException.class, () -> pipe.sink().register(selector, SelectionKey.OP_READ));
        }
    }

    @Contract
    public static void interestOpsOrAndAndReturnThePreviousSet() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, 0);
            Check.equal(0, key.interestOpsOr(SelectionKey.OP_READ), "interest set before interestOpsOr");
            Check.equal(SelectionKey.OP_READ, key.interestOpsAnd(0), "interest set before interestOpsAnd");
            Check.equal(0, key.interestOps(), "interest set after both");
            Check.thrown(IllegalArgumentException.class, () -> key.interestOpsOr(SelectionKey.OP_WRITE));
        }
    }

    @Contract
    public static void aCancelledReadyKeyLeavesTheSelectedSet() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = selectReadable(selector, pipe);
            key.cancel();
            Check.equal(0, selector.selectNow(), "keys selected after the cancel");
            Check.isTrue(selector.selectedKeys().isEmpty(), "the cancelled key left the selected set");
        }
    }

    @Contract
    public static void aSelectedKeyThatLostInterestStaysSelectedWhileAnotherIsAdded() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe writable = OpenPipe.nonBlocking(); OpenPipe readable = OpenPipe.nonBlocking()) {
            SelectionKey key = writable.sink().register(selector, SelectionKey.OP_WRITE);
            Check.equal(1, selector.selectNow(), "the writable key");
            key.interestOps(0);
            readable.source().register(selector, SelectionKey.OP_READ);
            writeByte(readable);
            Check.equal(1, selector.select(5000), "only the newly ready key counts");
            Check.equal(2, selector.selectedKeys().size(), "both keys are selected");
            Check.equal(SelectionKey.OP_WRITE, key.readyOps(), "the first key's ready set is kept");
        }
    }

    @Contract
    public static void registeringTwiceUpdatesTheSameKey() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey first = pipe.source().register(selector, 0, "first");
            SelectionKey second = pipe.source().register(selector, SelectionKey.OP_READ, "second");
            Check.isTrue(first == second, "same key");
            Check.equal(SelectionKey.OP_READ, second.interestOps(), "interest set");
            Check.equal("second", second.attachment(), "attachment");
            Check.isTrue(pipe.source().keyFor(selector) == first, "keyFor");
            Check.equal(1, selector.keys().size(), "key set");
        }
    }

    @Contract
    public static void theKeySetsRefuseAdditionsAndTheKeySetRefusesRemovals() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.sink().register(selector, SelectionKey.OP_WRITE);
            Check.thrown(UnsupportedOperationException.class, () -> selector.keys().add(key));
            Check.thrown(UnsupportedOperationException.class, () -> selector.keys().remove(key));
            Check.thrown(UnsupportedOperationException.class, () -> selector.selectedKeys().add(key));
            selector.selectNow();
            Check.isTrue(selector.selectedKeys().remove(key), "a selected key can be removed");
        }
    }

    @Contract
    public static void selectWithAnActionSeesEachReadyKeyAndLeavesTheSelectedSetAlone() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.sink().register(selector, SelectionKey.OP_WRITE);
            List<SelectionKey> seen = new ArrayList<>();
            Check.equal(1, selector.selectNow(seen::add), "keys selected");
            Check.equal(List.of(key), seen, "keys the action saw");
            Check.isTrue(selector.selectedKeys().isEmpty(), "selected-key set untouched");
            Check.equal(1, selector.select(seen::add, 5000), "the action form reports a still-ready key every time");
            Check.equal(List.of(key, key), seen, "keys the action saw in both selections");
        }
    }

    @Contract
    public static void aSelectionWithAnActionHoldsTheSelectorThenTheSelectedKeySet() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.sink().register(selector, SelectionKey.OP_WRITE);
            List<Boolean> locks = new ArrayList<>();
            selector.selectNow(key -> {
                locks.add(Thread.holdsLock(selector));
                locks.add(Thread.holdsLock(selector.selectedKeys()));
            });
            Check.equal(List.of(true, true), locks, "the selector's lock, then the selected-key set's");
        }
    }

    @Contract
    public static void selectingFromInsideAnActionIsRefused() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            pipe.sink().register(selector, SelectionKey.OP_WRITE);
            Check.thrown(IllegalStateException.class, () -> selector.selectNow(key -> {
                try {
                    selector.selectNow();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
    }

    @Contract
    public static void attachmentsAreKeptAndReplaced() throws Exception {
        try (Selector selector = Selector.open(); OpenPipe pipe = OpenPipe.nonBlocking()) {
            SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ, "a");
            Check.equal("a", key.attach("b"), "previous attachment");
            Check.equal("b", key.attachment(), "attachment");
        }
    }

    @Contract
    public static void anIncomingConnectionMakesTheServerAcceptable() throws Exception {
        try (Selector selector = Selector.open(); ServerSocketChannel server = Loopback.listen()) {
            server.configureBlocking(false);
            SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
            Check.equal(0, selector.selectNow(), "keys selected before a connection");
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                Check.equal(1, selector.select(5000), "keys selected");
                Check.equal(SelectionKey.OP_ACCEPT, key.readyOps(), "ready operations");
                try (SocketChannel accepted = server.accept()) {
                    Check.isTrue(accepted != null, "accepted a connection");
                }
            }
        }
    }

    @Contract
    public static void aReadySetHoldsOnlyOperationsOfInterest() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open(); Selector selector = Selector.open()) {
            pair.client().configureBlocking(false);
            Loopback.writeText(pair.accepted(), "x");
            SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ);
            Check.equal(1, selector.select(5000), "keys selected");
            Check.equal(SelectionKey.OP_READ, key.readyOps(), "ready operations of a readable and writable channel");
        }
    }

    @Contract
    public static void aSelectedKeysReadySetGainsNewOperations() throws Exception {
        try (Loopback.TcpPair pair = Loopback.TcpPair.open(); Selector selector = Selector.open()) {
            pair.client().configureBlocking(false);
            SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            Check.equal(1, selector.selectNow(), "writable at once");
            Check.equal(SelectionKey.OP_WRITE, key.readyOps(), "ready operations before data");
            Loopback.writeText(pair.accepted(), "x");
            // Arrival is awaited on a second selector: this one, with a still-writable key, may return early.
            try (Selector arrival = Selector.open()) {
                pair.client().register(arrival, SelectionKey.OP_READ);
                Check.equal(1, arrival.select(5000), "the data arrived");
            }
            Check.equal(1, selector.select(5000), "the key's ready set was updated");
            Check.equal(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.readyOps(), "ready operations after data");
        }
    }
}
