package io.jnetstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many threads blocked at once — in reads, in writes to peers that never read, in accepts and in
 * selects — all stopped together by closes and interrupts from other threads. Every call ends
 * as on the JDK's provider and nothing deadlocks: a stuck call fails its bounded wait.
 */
@Timeout(60)
class BlockedCallStormTest {
    private static final int ROUNDS = 6;

    @RegisterExtension
    final Closer closer = new Closer();

    /** A blocked call, how it is stopped, and what it must end with. */
    private record Call(String what, Background<?> call, Closeable target, boolean interrupt) {
        void stop() throws Exception {
            if (interrupt) {
                call.thread().interrupt();
            } else {
                target.close();
            }
        }

        boolean targetOpen() {
            return target instanceof Selector s ? s.isOpen() : ((Channel) target).isOpen();
        }

        void assertEnded() throws Exception {
            if (interrupt) {
                // A select returns on an interrupt (its thread stays interrupted, tested elsewhere); the rest throw.
                if (target instanceof Selector) {
                    call.get();
                    assertTrue(targetOpen(), what + ": an interrupt does not close a selector");
                } else {
                    assertThrows(ClosedByInterruptException.class, call::get, what);
                    assertFalse(targetOpen(), what + ": the interrupt closed the channel");
                }
            } else if (target instanceof Selector) {
                assertEquals(0, call.get(), what + ": keys selected by the select the close ended");
            } else {
                try {
                    Object result = call.get();
                    // Only a write may end with a count: what it took before the close (write(2)'s rule).
                    assertTrue(result instanceof Integer n && n > 0, what + " ended with " + result);
                } catch (AsynchronousCloseException expected) {
                    // the close ended it before it moved a byte
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.jnetstack.spi.Providers#both")
    void closesAndInterruptsFromOtherThreadsEndEveryBlockedCall(SelectorProvider provider) throws Exception {
        TcpConnections tcp = new TcpConnections(provider, closer);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            boolean interrupt = i % 2 == 1;
            SocketChannel reader = tcp.pair().client();
            calls.add(new Call("read " + i, Background.blocked(() -> reader.read(ByteBuffer.allocate(1))), reader, interrupt));

            SocketChannel writer = tcp.pair().client(); // its peer never reads
            TcpConnections.fill(writer);
            ByteBuffer big = ByteBuffer.allocate(TcpConnections.MORE_THAN_BUFFERS_HOLD);
            calls.add(new Call("write " + i, Background.blocked(() -> writer.write(big)), writer, interrupt));

            ServerSocketChannel listener = tcp.listener();
            calls.add(new Call("accept " + i, Background.blocked(listener::accept), listener, interrupt));

            Selector selector = closer.add(provider.openSelector());
            Pipe pipe = provider.openPipe();
            closer.add(pipe.source());
            closer.add(pipe.sink());
            pipe.source().configureBlocking(false).register(selector, SelectionKey.OP_READ);
            calls.add(new Call("select " + i, Background.blocked(selector::select), selector, interrupt));
        }

        // One stopping thread per call, all let go at once.
        CountDownLatch go = new CountDownLatch(1);
        List<Background<Void>> stoppers = new ArrayList<>();
        for (Call c : calls) {
            stoppers.add(Background.call(() -> {
                go.await();
                c.stop();
                return null;
            }));
        }
        go.countDown();
        for (Background<Void> s : stoppers) {
            s.get();
        }
        for (Call c : calls) {
            c.assertEnded();
            c.call().thread().join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(c.call().thread().isAlive(), c.what() + ": its thread ended");
        }
    }
}
