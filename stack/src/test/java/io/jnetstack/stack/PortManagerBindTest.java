package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Binding: explicit ports, wildcard overlap, SO_REUSEADDR, release, port 0. */
class PortManagerBindTest {
    private static final int UDP = 17;
    private static final int TCP = 6;
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final IpAddress V6 = IpAddress.parse("fd00::1");

    private final PortManager ports = new PortManager(32768, 60999, new Random(1));

    @Test
    void reserveReturnsTheRequestedPort() throws BindException {
        assertEquals(8080, ports.reserve(UDP, A, 8080, false));
        assertTrue(ports.isReserved(UDP, A, 8080));
    }

    @Test
    void sameAddressAndPortConflictsWithAddressInUse() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        BindException e = assertThrows(BindException.class, () -> ports.reserve(UDP, A, 8080, false));
        assertEquals("Address already in use", e.getMessage());
    }

    @Test
    void differentSpecificAddressesDoNotConflict() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        assertEquals(8080, ports.reserve(UDP, B, 8080, false));
    }

    @Test
    void wildcardConflictsWithAnExistingSpecificAddress() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        assertThrows(BindException.class, () -> ports.reserve(UDP, IpAddress.IPV4_ANY, 8080, false));
    }

    @Test
    void specificAddressConflictsWithAnExistingWildcard() throws BindException {
        ports.reserve(UDP, IpAddress.IPV4_ANY, 8080, false);
        assertThrows(BindException.class, () -> ports.reserve(UDP, B, 8080, false));
    }

    @Test
    void ipv6WildcardDoesNotConflictWithIpv4() throws BindException {
        ports.reserve(UDP, IpAddress.IPV4_ANY, 8080, false);
        assertEquals(8080, ports.reserve(UDP, IpAddress.IPV6_ANY, 8080, false));
    }

    @Test
    void ipv6WildcardConflictsWithSpecificIpv6() throws BindException {
        ports.reserve(UDP, V6, 8080, false);
        assertThrows(BindException.class, () -> ports.reserve(UDP, IpAddress.IPV6_ANY, 8080, false));
    }

    @Test
    void differentProtocolsDoNotConflict() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        assertEquals(8080, ports.reserve(TCP, A, 8080, false));
    }

    @Test
    void reuseAddressOnBothSharesThePort() throws BindException {
        ports.reserve(UDP, A, 8080, true);
        assertEquals(8080, ports.reserve(UDP, A, 8080, true));
    }

    @Test
    void reuseAddressOnOnlyTheNewcomerStillConflicts() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        assertThrows(BindException.class, () -> ports.reserve(UDP, A, 8080, true));
    }

    @Test
    void reuseAddressOnOnlyTheHolderStillConflicts() throws BindException {
        ports.reserve(UDP, A, 8080, true);
        assertThrows(BindException.class, () -> ports.reserve(UDP, A, 8080, false));
    }

    @Test
    void releaseMakesThePortFreeAgain() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        ports.release(UDP, A, 8080);
        assertFalse(ports.isReserved(UDP, A, 8080));
        assertEquals(8080, ports.reserve(UDP, A, 8080, false));
    }

    @Test
    void releasingOneOfTwoSharedReservationsKeepsThePortReserved() throws BindException {
        ports.reserve(UDP, A, 8080, true);
        ports.reserve(UDP, A, 8080, true);
        ports.release(UDP, A, 8080);
        assertTrue(ports.isReserved(UDP, A, 8080));
    }

    @Test
    void releaseOfAnotherAddressLeavesTheReservation() throws BindException {
        ports.reserve(UDP, A, 8080, false);
        ports.release(UDP, B, 8080);
        assertTrue(ports.isReserved(UDP, A, 8080));
    }

    @Test
    void releaseOfAnUnreservedPortIsHarmless() {
        ports.release(UDP, A, 8080);
        assertFalse(ports.isReserved(UDP, A, 8080));
    }

    @Test
    void isReservedSeesAWildcardReservationFromASpecificAddress() throws BindException {
        ports.reserve(UDP, IpAddress.IPV4_ANY, 8080, false);
        assertTrue(ports.isReserved(UDP, A, 8080));
    }

    @Test
    void portZeroPicksDistinctPortsInTheEphemeralRange() throws BindException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int p = ports.reserve(UDP, A, 0, false);
            assertTrue(p >= 32768 && p <= 60999, "port " + p);
            assertTrue(seen.add(p), "port " + p + " given twice");
        }
    }

    @Test
    void portZeroSkipsPortsReservedOnAWildcard() throws BindException {
        PortManager tiny = new PortManager(5000, 5001, new Random(1));
        tiny.reserve(UDP, IpAddress.IPV4_ANY, 5000, true);
        assertEquals(5001, tiny.reserve(UDP, A, 0, true));
    }

    @Test
    void portZeroWhenTheRangeIsFullSaysCannotAssignRequestedAddress() throws BindException {
        PortManager tiny = new PortManager(5000, 5001, new Random(1));
        tiny.reserve(UDP, A, 0, false);
        tiny.reserve(UDP, A, 0, false);
        BindException e = assertThrows(BindException.class, () -> tiny.reserve(UDP, A, 0, false));
        assertEquals("Cannot assign requested address", e.getMessage());
    }

    @Test
    void portOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ports.reserve(UDP, A, 65536, false));
    }

    @Test
    void invertedEphemeralRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PortManager(6000, 5000, new Random(1)));
    }
}
