package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Ports for connecting sockets: RFC 6056 Algorithm 3 and sharing by distinct 4-tuples. */
class PortManagerEphemeralTest {
    private static final int TCP = 6;
    private static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
    private static final IpAddress REMOTE = IpAddress.parse("192.0.2.7");
    private static final IpAddress OTHER_REMOTE = IpAddress.parse("192.0.2.8");

    @Test
    void chosenPortIsInTheEphemeralRangeAndReserved() throws BindException {
        PortManager ports = new PortManager(32768, 60999, new Random(3));
        int p = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        assertTrue(p >= 32768 && p <= 60999, "port " + p);
        assertTrue(ports.isReserved(TCP, LOCAL, p));
    }

    @Test
    void sameSecretAndPeerGiveTheSameFirstPort() throws BindException {
        int a = new PortManager(32768, 60999, new Random(3)).reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        int b = new PortManager(32768, 60999, new Random(3)).reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        assertEquals(a, b);
    }

    @Test
    void differentSecretsGiveDifferentFirstPorts() throws BindException {
        Set<Integer> firsts = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            firsts.add(new PortManager(32768, 60999, new Random(seed)).reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
        }
        assertTrue(firsts.size() >= 9, "ports " + firsts);
    }

    @Test
    void successiveConnectionsToOnePeerTakeSuccessivePorts() throws BindException {
        // Algorithm 3 bumps table[index], so the next search for the same peer starts one further.
        PortManager ports = new PortManager(32768, 60999, new Random(3));
        int first = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        ports.release(TCP, LOCAL, first, REMOTE, 80);
        int second = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        assertEquals(32768 + (first - 32768 + 1) % (60999 - 32768 + 1), second);
    }

    @Test
    void aPortHeldByAConnectionIsSharedWhenTheTupleIsFree() throws BindException {
        PortManager ports = new PortManager(40000, 40000, new Random(3));
        int first = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        int second = ports.reserveEphemeral(TCP, LOCAL, OTHER_REMOTE, 80, port -> true);
        assertEquals(first, second);
    }

    @Test
    void aPortIsSkippedWhenTheCallerKnowsItsTupleTaken() throws BindException {
        // The manager holds a different 4-tuple there; isTupleFree stands for a connection it
        // never reserved for (one accepted by a listener since closed).
        PortManager ports = new PortManager(40000, 40001, new Random(3));
        int first = ports.reserveEphemeral(TCP, LOCAL, OTHER_REMOTE, 80, port -> true);
        int second = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> port != first);
        assertNotEquals(first, second);
    }

    @Test
    void aBoundPortIsNeverSharedWithAConnection() throws BindException {
        PortManager ports = new PortManager(40000, 40000, new Random(3));
        ports.reserve(TCP, IpAddress.IPV4_ANY, 40000, true);
        assertThrows(BindException.class, () -> ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
    }

    @Test
    void aBindCannotTakeAPortHeldByAConnection() throws BindException {
        PortManager ports = new PortManager(40000, 40000, new Random(3));
        ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        assertThrows(BindException.class, () -> ports.reserve(TCP, LOCAL, 40000, false));
    }

    @Test
    void exhaustedRangeSaysCannotAssignRequestedAddress() throws BindException {
        PortManager ports = new PortManager(40000, 40002, new Random(3));
        for (int i = 0; i < 3; i++) {
            ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> false);
        }
        BindException e = assertThrows(BindException.class,
                () -> ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> false));
        assertEquals("Cannot assign requested address", e.getMessage());
    }

    @Test
    void releasingASharedConnectionFreesItsOwnTupleAndThePortOnlyAtTheLast() throws BindException {
        PortManager ports = new PortManager(40000, 40000, new Random(3));
        ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true);
        ports.reserveEphemeral(TCP, LOCAL, OTHER_REMOTE, 80, port -> true);
        ports.release(TCP, LOCAL, 40000, OTHER_REMOTE, 80);
        assertTrue(ports.isReserved(TCP, LOCAL, 40000));
        assertThrows(BindException.class, () -> ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
        assertEquals(40000, ports.reserveEphemeral(TCP, LOCAL, OTHER_REMOTE, 80, port -> true));
        ports.release(TCP, LOCAL, 40000, OTHER_REMOTE, 80);
        ports.release(TCP, LOCAL, 40000, REMOTE, 80);
        assertEquals(40000, ports.reserve(TCP, LOCAL, 40000, false));
    }

    @Test
    void aTupleReservedButNotYetRegisteredIsNotHandedOutAgain() throws BindException {
        // isTupleFree sees only connections already registered with the demuxer; between reserving
        // and registering, only the port manager knows the 4-tuple is taken.
        PortManager ports = new PortManager(40000, 40001, new Random(3));
        Set<Integer> taken = new HashSet<>();
        taken.add(ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
        taken.add(ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
        assertEquals(Set.of(40000, 40001), taken);
        assertThrows(BindException.class, () -> ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> true));
        // A different 4-tuple may still share either port.
        assertTrue(taken.contains(ports.reserveEphemeral(TCP, LOCAL, REMOTE, 81, port -> true)));
    }

    @Test
    void concurrentReservationsNeverHandOutTheSamePort() throws Exception {
        PortManager ports = new PortManager(40000, 40999, new Random(3));
        Set<Integer> taken = ConcurrentHashMap.newKeySet();
        List<Integer> duplicates = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 250; i++) {
                        int p = ports.reserveEphemeral(TCP, LOCAL, REMOTE, 80, port -> false);
                        if (!taken.add(p)) {
                            synchronized (duplicates) {
                                duplicates.add(p);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), duplicates);
        assertEquals(1000, taken.size());
    }
}
