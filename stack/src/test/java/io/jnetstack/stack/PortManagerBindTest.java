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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Binding: explicit ports, wildcard overlap, SO_REUSEADDR, release, port 0. */
class PortManagerBindTest {
    private static final int UDP = 17;
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");

    private final PortManager ports = new PortManager(32768, 60999, new Random(1));

    @Test
    void reserveReturnsTheRequestedPort() throws BindException {
        assertEquals(8080, ports.reserve(UDP, A, 8080, false));
        assertTrue(ports.isReserved(UDP, A, 8080));
    }

    /**
     * A second bind of port 8080 while a first holds it; a protocol of 6 is TCP, 17 UDP; "reuse"
     * is SO_REUSEADDR on that side.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "same address and port,                     17, 10.0.0.1, false, 17, 10.0.0.1, false, true",
        "different specific addresses,              17, 10.0.0.1, false, 17, 10.0.0.2, false, false",
        "wildcard after a specific address,         17, 10.0.0.1, false, 17, 0.0.0.0,  false, true",
        "specific address after a wildcard,         17, 0.0.0.0,  false, 17, 10.0.0.2, false, true",
        "dual-stack IPv6 wildcard after IPv4's,     17, 0.0.0.0,  false, 17, ::,       false, true",
        "IPv4 wildcard after the IPv6 wildcard,     17, ::,       false, 17, 0.0.0.0,  false, true",
        "specific IPv4 after the IPv6 wildcard,     17, ::,       false, 17, 10.0.0.2, false, true",
        "specific IPv6 after the IPv4 wildcard,     17, 0.0.0.0,  false, 17, fd00::1,  false, false",
        "IPv6 wildcard after a specific IPv6,       17, fd00::1,  false, 17, ::,       false, true",
        "other protocol on the same address,        17, 10.0.0.1, false, 6,  10.0.0.1, false, false",
        "reuse on both sides,                       17, 10.0.0.1, true,  17, 10.0.0.1, true,  false",
        "reuse on only the newcomer,                17, 10.0.0.1, false, 17, 10.0.0.1, true,  true",
        "reuse on only the holder,                  17, 10.0.0.1, true,  17, 10.0.0.1, false, true",
    })
    void secondBindOfAPortConflictsOnlyWhereTheRulesSay(String situation, int holderProtocol, String holderAddress,
                                                        boolean holderReuse, int protocol, String address,
                                                        boolean reuse, boolean conflicts) throws BindException {
        ports.reserve(holderProtocol, IpAddress.parse(holderAddress), 8080, holderReuse);

        if (conflicts) {
            BindException e = assertThrows(BindException.class,
                    () -> ports.reserve(protocol, IpAddress.parse(address), 8080, reuse));
            assertEquals("Address already in use", e.getMessage());
        } else {
            assertEquals(8080, ports.reserve(protocol, IpAddress.parse(address), 8080, reuse));
        }
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
