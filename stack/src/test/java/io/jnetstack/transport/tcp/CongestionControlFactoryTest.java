package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.time.ManualClock;
import org.junit.jupiter.api.Test;

class CongestionControlFactoryTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void cubicNameCreatesCubic() {
        assertInstanceOf(Cubic.class, CongestionControl.create("cubic", 1460, clock));
    }

    @Test
    void newrenoNameCreatesNewReno() {
        assertInstanceOf(NewReno.class, CongestionControl.create("newreno", 1460, clock));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertInstanceOf(NewReno.class, CongestionControl.create("NewReno", 1460, clock));
    }

    @Test
    void createdControllerReportsTheNameItWasCreatedBy() {
        assertEquals("cubic", CongestionControl.create("CUBIC", 1460, clock).name());
    }

    @Test
    void unknownNameIsRejectedWithTheAcceptedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CongestionControl.create("bbr", 1460, clock));

        assertTrue(e.getMessage().contains("bbr") && e.getMessage().contains("cubic")
                && e.getMessage().contains("newreno"), e.getMessage());
    }

    @Test
    void nonPositiveMssIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CongestionControl.create("newreno", 0, clock));
    }
}
