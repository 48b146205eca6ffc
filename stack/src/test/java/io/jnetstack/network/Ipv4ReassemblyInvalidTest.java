package io.jnetstack.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Fragments no correct sender makes discard their datagram and are counted. */
class Ipv4ReassemblyInvalidTest {
    private final ReassemblyFixture f = new ReassemblyFixture(70000);

    @Test
    void nonLastFragmentWhoseLengthIsNotAMultipleOfEightDiscardsTheDatagram() {
        f.add(0, 16, true);
        assertNull(f.add(16, 12, true));
        assertEquals(1, f.counters().invalidDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
    }

    @Test
    void emptyNonLastFragmentIsInvalid() {
        f.add(8, 0, true);
        assertEquals(1, f.counters().invalidDropped());
    }

    @Test
    void invalidFirstFragmentCreatesNoDatagram() {
        f.add(0, 12, true);
        assertEquals(0, f.reassembler.pendingDatagrams());
        assertEquals(0, f.clock.pendingTimers());
    }

    @Test
    void dataBeyondTheLargestDatagramIsInvalid() {
        assertNull(f.add(65512, 8, false));
        assertEquals(1, f.counters().invalidDropped());
    }

    @Test
    void dataEndingAtTheLargestDatagramIsAccepted() {
        f.add(65512, 3, false);
        assertEquals(0, f.counters().invalidDropped());
        assertEquals(1, f.reassembler.pendingDatagrams());
    }

    @Test
    void secondLastFragmentWithADifferentEndDiscardsTheDatagram() {
        f.add(1480, 100, false);
        f.add(1480, 200, false);
        assertEquals(1, f.counters().invalidDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
    }

    @Test
    void fragmentBeyondTheEndSetByTheLastDiscardsTheDatagram() {
        f.add(1480, 100, false);
        f.add(1576, 16, true);
        assertEquals(1, f.counters().invalidDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
    }

    @Test
    void lastFragmentEndingBeforeDataAlreadyReceivedDiscardsTheDatagram() {
        f.add(1480, 1480, true);
        f.add(0, 1000, false);
        assertEquals(1, f.counters().invalidDropped());
        assertEquals(0, f.reassembler.pendingDatagrams());
    }

    @Test
    void offsetNotAMultipleOfEightIsInvalid() {
        f.add(4, 8, true);
        assertEquals(1, f.counters().invalidDropped());
    }
}
