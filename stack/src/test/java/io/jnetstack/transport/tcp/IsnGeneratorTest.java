package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.ThreadAllocation;
import io.jnetstack.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 6528 §3: ISN = M + F(4-tuple, secret). */
class IsnGeneratorTest {
    private static final IpAddress LOCAL = IpAddress.parse("10.0.0.2");
    private static final IpAddress REMOTE = IpAddress.parse("10.0.0.1");
    private static final byte[] SECRET = "sixteen byte key".getBytes(StandardCharsets.US_ASCII);

    private final ManualClock clock = new ManualClock();
    private final IsnGenerator isns = new IsnGenerator(clock, SECRET);

    @Test
    void sameTupleAdvances250000PerSecond() {
        int before = isns.isn(LOCAL, 80, REMOTE, 40000);
        clock.advance(Duration.ofSeconds(1));

        assertEquals(250_000, isns.isn(LOCAL, 80, REMOTE, 40000) - before);
    }

    @Test
    void anIsnAllocatesNothing() {
        IpAddress local6 = IpAddress.parse("fd00::2");
        IpAddress remote6 = IpAddress.parse("fd00::1");
        int[] sink = new int[1];
        double bytesPerIsn = ThreadAllocation.averageBytesPerStep(20_000, i -> {
            sink[0] += isns.isn(LOCAL, 80, REMOTE, i) + isns.isn(local6, 80, remote6, i);
        });

        assertTrue(bytesPerIsn < 8, bytesPerIsn + " bytes per two ISNs (one IPv4, one IPv6)");
    }

    @Test
    void sameTupleAtTheSameTimeGetsTheSameIsn() {
        assertEquals(isns.isn(LOCAL, 80, REMOTE, 40000), isns.isn(LOCAL, 80, REMOTE, 40000));
    }

    @Test
    void sameSecretAndClockGiveTheSameIsn() {
        IsnGenerator twin = new IsnGenerator(clock, SECRET.clone());

        assertEquals(isns.isn(LOCAL, 80, REMOTE, 40000), twin.isn(LOCAL, 80, REMOTE, 40000));
    }

    @Test
    void neighbouringPortsGetUnrelatedIsns() {
        Set<Integer> stepsBetweenNeighbours = new HashSet<>();
        int previous = isns.isn(LOCAL, 80, REMOTE, 40000);
        for (int port = 40001; port <= 41000; port++) {
            int isn = isns.isn(LOCAL, 80, REMOTE, port);
            stepsBetweenNeighbours.add(isn - previous);
            previous = isn;
        }

        // A linear F would make every step the same; a keyed hash makes them all differ.
        assertEquals(1000, stepsBetweenNeighbours.size());
    }

    @Test
    void isnsOfManyTuplesSpreadOverTheWholeSpace() {
        Set<Integer> topByte = new HashSet<>();
        for (int port = 1; port <= 4000; port++) {
            topByte.add(isns.isn(LOCAL, 80, REMOTE, port) >>> 24);
        }

        assertEquals(256, topByte.size());
    }

    @Test
    void swappingTheEndsGivesADifferentIsn() {
        assertNotEquals(isns.isn(LOCAL, 80, REMOTE, 40000), isns.isn(REMOTE, 40000, LOCAL, 80));
    }

    @Test
    void ipv6TuplesAreHashedToo() {
        IpAddress v6Local = IpAddress.parse("fe80::2");
        IpAddress v6Remote = IpAddress.parse("fe80::1");

        assertNotEquals(isns.isn(v6Local, 80, v6Remote, 40000), isns.isn(v6Local, 80, v6Remote, 40001));
    }

    @Test
    void differentSecretsGiveDifferentIsns() {
        byte[] other = SECRET.clone();
        other[0] ^= 1;

        assertNotEquals(isns.isn(LOCAL, 80, REMOTE, 40000),
                new IsnGenerator(clock, other).isn(LOCAL, 80, REMOTE, 40000));
    }

    @Test
    void withoutASecretEachGeneratorDrawsItsOwn() {
        int first = new IsnGenerator(clock, null).isn(LOCAL, 80, REMOTE, 40000);
        int second = new IsnGenerator(clock, null).isn(LOCAL, 80, REMOTE, 40000);

        assertNotEquals(first, second); // fails with probability 2^-32
    }

    @Test
    void secretOfTheWrongLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new IsnGenerator(clock, new byte[15]));
    }

    @Test
    void secretIsCopiedSoLaterChangesToTheArrayDoNotMatter() {
        byte[] secret = SECRET.clone();
        IsnGenerator generator = new IsnGenerator(clock, secret);
        int before = generator.isn(LOCAL, 80, REMOTE, 40000);
        secret[3] ^= 0x55;

        assertEquals(before, generator.isn(LOCAL, 80, REMOTE, 40000));
    }
}
