package io.jnetstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ScaleBench's options only: no connection is made here. */
class ScaleBenchTest {
    private static ScaleBench.Settings parse(String... args) {
        return ScaleBench.Settings.from(Options.parse("ScaleBench", ScaleBench.defaults(), args));
    }

    @Test
    void theDefaultsAreTheSmokeRun() {
        ScaleBench.Settings s = parse();
        assertEquals("stack", s.api());
        assertEquals(20_000, s.connections());
        assertEquals(1, s.threads());
        assertEquals(Duration.ofSeconds(1), s.timeWait());
    }

    @Test
    void portsDefaultToEnoughForTheConnections() {
        assertEquals(51, parse("--conns", "1000000").ports()); // the 1M run
        assertEquals(102, parse("--conns", "2000000").ports());
        assertEquals(80, parse("--conns", "2000000", "--ports", "80").ports()); // given: kept
    }

    @Test
    void tooFewPortsForTheConnectionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--conns", "2000000", "--ports", "51"));
        assertTrue(e.getMessage().contains("distinct 4-tuples"), e.getMessage());
    }

    @Test
    void listeningPortsMustStayBelowTheEphemeralRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--first-port", "32760", "--ports", "10"));
        assertTrue(e.getMessage().contains("below the ephemeral range"), e.getMessage());
    }

    @Test
    void anUnknownApiIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--api", "kernel"));
        assertTrue(e.getMessage().contains("--api wants stack or nio"), e.getMessage());
    }

    @Test
    void countsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> parse("--conns", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--threads", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--time-wait", "-1"));
    }
}
