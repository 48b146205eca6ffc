package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Selector semantics, each fact checked on the JDK's provider (the oracle) and on jnetstack's. */
@Timeout(20)
class SelectorTest {
    @RegisterExtension
    final Closer closer = new Closer();

    private Selector selector(SelectorProvider provider) throws IOException {
        return closer.add(provider.openSelector());
    }

    private Pipe pipe(SelectorProvider provider) throws IOException {
        Pipe p = provider.openPipe();
        closer.add(p.source());
        closer.add(p.sink());
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    private static void writeByte(Pipe p) throws IOException {
        assertEquals(1, p.sink().write(ByteBuffer.wrap(new byte[] {7})));
    }

    private static Background<Integer> selectInBackground(Selector s) {
        return Background.blocked(s::select);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readableChannelIsSelectedWithItsReadySet(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        assertEquals(1, s.select());
        assertEquals(java.util.Set.of(k), s.selectedKeys());
        assertEquals(SelectionKey.OP_READ, k.readyOps());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectNowFindsNothingOnIdleChannels(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        assertEquals(0, s.selectNow());
        assertTrue(s.selectedKeys().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void stillReadyKeyInSelectedSetIsNotCountedAgain(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        assertEquals(1, s.select());
        assertEquals(0, s.selectNow());
        assertEquals(1, s.selectedKeys().size());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void readinessIsLevelTriggered(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        assertEquals(1, s.select());
        s.selectedKeys().clear();
        assertEquals(1, s.selectNow(), "unread data keeps the channel ready");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void newReadyOpsAreAddedToAKeyAlreadySelected(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        Pipe q = pipe(provider);
        SelectionKey k = p.sink().register(s, SelectionKey.OP_WRITE);
        assertEquals(1, s.selectNow());
        k.interestOps(0);
        // The key stays selected; a different key's readiness counts on its own.
        q.source().register(s, SelectionKey.OP_READ);
        writeByte(q);
        assertEquals(1, s.selectNow());
        assertEquals(2, s.selectedKeys().size());
        assertEquals(SelectionKey.OP_WRITE, k.readyOps());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void dataConsumedChannelIsNotSelected(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        assertEquals(1, s.select());
        s.selectedKeys().clear();
        p.source().read(ByteBuffer.allocate(10));
        assertEquals(0, s.selectNow());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectWakesWhenAChannelBecomesReady(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        Background<Integer> selected = selectInBackground(s);
        writeByte(p);
        assertEquals(1, selected.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void wakeupBeforeSelectMakesTheNextSelectReturnAtOnce(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        s.wakeup();
        assertEquals(0, s.select());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectNowClearsAPendingWakeup(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        s.wakeup();
        s.selectNow();
        assertEquals(0, s.select(50), "the wakeup was used up by selectNow, so this select times out");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void wakeupFromAnotherThreadEndsABlockedSelect(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Background<Integer> selected = selectInBackground(s);
        s.wakeup();
        assertEquals(0, selected.get());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interruptEndsABlockedSelectAndStaysSet(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Background<Boolean> interrupted = Background.blocked(() -> {
            s.select();
            return Thread.currentThread().isInterrupted();
        });
        interrupted.thread().interrupt();
        assertTrue(interrupted.get());
        assertTrue(s.isOpen(), "an interrupt does not close a selector");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closeFromAnotherThreadEndsABlockedSelect(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        Background<Integer> selected = selectInBackground(s);
        s.close();
        assertEquals(0, selected.get());
        assertFalse(k.isValid());
        assertThrows(ClosedSelectorException.class, s::keys);
        assertThrows(ClosedSelectorException.class, s::selectNow);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void registerDuringABlockedSelectDoesNotWaitForIt(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        Background<Integer> selected = selectInBackground(s);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        assertTrue(s.keys().contains(k));
        s.wakeup();
        selected.get();
        writeByte(p);
        assertEquals(1, s.selectNow(), "the next selection sees the new key");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interestChangedToReadyOpsIsSeenByTheNextSelection(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, 0);
        writeByte(p);
        assertEquals(0, s.selectNow());
        k.interestOps(SelectionKey.OP_READ);
        assertEquals(1, s.selectNow());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interestRemovedIsNotSelected(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        k.interestOps(0);
        assertEquals(0, s.selectNow());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void interestOpsOrAndAnd(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, 0);
        assertEquals(0, k.interestOpsOr(SelectionKey.OP_READ));
        assertEquals(SelectionKey.OP_READ, k.interestOpsAnd(0));
        assertEquals(0, k.interestOps());
        assertThrows(IllegalArgumentException.class, () -> k.interestOpsOr(SelectionKey.OP_WRITE));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void invalidInterestOpsAreRejected(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, 0);
        assertThrows(IllegalArgumentException.class, () -> k.interestOps(SelectionKey.OP_WRITE));
        assertThrows(IllegalArgumentException.class, () -> p.sink().register(s, SelectionKey.OP_READ));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void cancelledKeyStaysInKeySetUntilTheNextSelection(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        k.cancel();
        assertFalse(k.isValid());
        assertTrue(s.keys().contains(k));
        assertThrows(CancelledKeyException.class, () -> p.source().register(s, SelectionKey.OP_READ));
        assertThrows(CancelledKeyException.class, k::interestOps);
        assertThrows(CancelledKeyException.class, k::readyOps);
        s.selectNow();
        assertFalse(s.keys().contains(k));
        assertNull(p.source().keyFor(s));
        assertFalse(p.source().isRegistered());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void cancelledReadyKeyLeavesTheSelectedSet(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        s.selectNow();
        k.cancel();
        assertEquals(0, s.selectNow());
        assertTrue(s.selectedKeys().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void channelClosedWhileRegisteredCancelsItsKey(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        p.source().close();
        assertFalse(k.isValid());
        s.selectNow();
        assertTrue(s.keys().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void reRegisteringUpdatesTheKey(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, 0, "first");
        SelectionKey again = p.source().register(s, SelectionKey.OP_READ, "second");
        assertSame(k, again);
        assertEquals(SelectionKey.OP_READ, k.interestOps());
        assertEquals("second", k.attachment());
        assertEquals(1, s.keys().size());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectWithActionCallsItForReadyKeysAndLeavesTheSelectedSetAlone(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        List<SelectionKey> seen = new ArrayList<>();
        assertEquals(1, s.select(seen::add));
        assertEquals(List.of(k), seen);
        assertTrue(s.selectedKeys().isEmpty());
        assertEquals(1, s.selectNow(seen::add), "the action form reports a still-ready key every time");
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectionHoldsTheSelectorThenTheSelectedKeySet(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        List<Boolean> locks = new ArrayList<>();
        s.selectNow(k -> {
            locks.add(Thread.holdsLock(s));
            locks.add(Thread.holdsLock(s.selectedKeys()));
        });
        assertEquals(List.of(true, true), locks);
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectFromInsideAnActionIsRefused(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().register(s, SelectionKey.OP_READ);
        writeByte(p);
        assertThrows(IllegalStateException.class, () -> s.selectNow(k -> {
            try {
                s.selectNow();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void keySetsCannotGrow(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        SelectionKey k = p.source().register(s, SelectionKey.OP_READ);
        assertThrows(UnsupportedOperationException.class, () -> s.keys().add(k));
        assertThrows(UnsupportedOperationException.class, () -> s.keys().remove(k));
        assertThrows(UnsupportedOperationException.class, () -> s.selectedKeys().add(k));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void negativeTimeoutIsRejected(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.select(-1));
        assertEquals("Negative timeout", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void selectWithTimeoutReturnsZeroWhenNothingIsReady(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        pipe(provider).source().register(s, SelectionKey.OP_READ);
        assertEquals(0, s.select(20));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void channelOfTheOtherProviderIsRefused(SelectorProvider provider) throws Exception {
        SelectorProvider other = provider instanceof JnetstackSelectorProvider ? Providers.jdk() : Providers.jnetstack();
        Selector s = selector(provider);
        Pipe foreign = pipe(other);
        assertThrows(java.nio.channels.IllegalSelectorException.class, () -> foreign.source().register(s, SelectionKey.OP_READ));
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void blockingChannelCannotRegister(SelectorProvider provider) throws Exception {
        Selector s = selector(provider);
        Pipe p = pipe(provider);
        p.source().configureBlocking(true);
        assertThrows(java.nio.channels.IllegalBlockingModeException.class, () -> p.source().register(s, SelectionKey.OP_READ));
    }
}
