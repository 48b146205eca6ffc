package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reservations from many threads at once, with no manager-wide lock: each port's rules still hold
 * as though the calls came one at a time.
 */
class PortManagerConcurrencyTest {
    private static final int TCP = 6;
    private static final int THREADS = 4;
    private static final IpAddress A = IpAddress.parse("10.0.0.1");

    private final PortManager ports = new PortManager(32768, 60999, new Random(1));

    @Test
    void concurrentBindsToPortZeroNeverShareAPort() throws Exception {
        int perThread = 1000;
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        runOnThreads(() -> {
            for (int i = 0; i < perThread; i++) {
                if (!taken.add(ports.reserve(TCP, A, 0, false))) {
                    duplicates.incrementAndGet();
                }
            }
            return null;
        });
        assertEquals(0, duplicates.get());
        assertEquals(THREADS * perThread, ports.reservationCount());
    }

    @Test
    void ofConcurrentBindsToOnePortWithoutReuseExactlyOneWins() throws Exception {
        int rounds = 200;
        AtomicInteger wins = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            int port = 1000 + round;
            runOnThreads(() -> {
                try {
                    ports.reserve(TCP, A, port, false);
                    wins.incrementAndGet();
                } catch (BindException lost) {
                    // another thread holds it
                }
                return null;
            });
        }
        assertEquals(rounds, wins.get());
        assertEquals(rounds, ports.reservationCount());
    }

    @Test
    void concurrentReservesAndReleasesLeaveNothingBehind() throws Exception {
        int perThread = 2000;
        IpAddress remote = IpAddress.parse("10.0.0.9");
        runOnThreads(() -> {
            for (int i = 0; i < perThread; i++) {
                int remotePort = 80 + (i % 7);
                int port = ports.reserveEphemeral(TCP, A, remote, remotePort, p -> true);
                ports.release(TCP, A, port, remote, remotePort);
            }
            return null;
        });
        assertEquals(0, ports.reservationCount());
    }

    /**
     * Each thread, as a connecting socket does, reserves a port for one 4-tuple shared by all,
     * registers the tuple (a set stands in for the demuxer, which {@code isTupleFree} consults),
     * then unregisters it and releases the port. Another thread's tuple, reserved but not yet
     * registered (or unregistered but not yet released), is invisible to {@code isTupleFree}, so
     * the reservation itself must claim the tuple. Two ports for four threads: a reservation
     * may find both taken, but must never return one whose tuple another thread holds.
     */
    @Test
    void concurrentConnectsToOneRemoteNeverGetTheSameTuple() throws Exception {
        PortManager small = new PortManager(40000, 40001, new Random(1));
        IpAddress remote = IpAddress.parse("10.0.0.9");
        int perThread = 5000;
        Set<Integer> registered = ConcurrentHashMap.newKeySet();
        AtomicInteger sameTuple = new AtomicInteger();
        AtomicInteger reserved = new AtomicInteger();
        runOnThreads(() -> {
            for (int i = 0; i < perThread; i++) {
                int port;
                try {
                    port = small.reserveEphemeral(TCP, A, remote, 80, p -> !registered.contains(p));
                } catch (BindException bothTaken) {
                    continue;
                }
                reserved.incrementAndGet();
                if (registered.add(port)) {
                    registered.remove(port);
                } else {
                    sameTuple.incrementAndGet();
                }
                small.release(TCP, A, port, remote, 80);
            }
            return null;
        });
        assertEquals(0, sameTuple.get(), "reservations given a 4-tuple another thread held, of " + reserved);
        assertTrue(reserved.get() > 0);
        assertEquals(0, small.reservationCount());
    }

    /** Runs {@code task} on {@link #THREADS} threads released together; rethrows the first failure. */
    private static void runOnThreads(Callable<Void> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<Void> f : results) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
