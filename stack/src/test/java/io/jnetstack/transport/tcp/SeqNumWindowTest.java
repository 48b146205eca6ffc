package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumWindowTest {
    private static final int START = 0xFFFF_FF00;

    @Test
    void windowIncludesItsStart() {
        assertTrue(SeqNum.inWindow(START, START, 1000));
    }

    @Test
    void windowExcludesItsEnd() {
        assertFalse(SeqNum.inWindow(START + 1000, START, 1000));
        assertTrue(SeqNum.inWindow(START + 999, START, 1000));
    }

    @Test
    void windowSpanningTheWrapIncludesNumbersPastIt() {
        assertTrue(SeqNum.inWindow(10, START, 1000));
    }

    @Test
    void windowExcludesNumbersBeforeItsStart() {
        assertFalse(SeqNum.inWindow(START - 1, START, 1000));
    }

    @Test
    void zeroSizedWindowHoldsNothing() {
        assertFalse(SeqNum.inWindow(START, START, 0));
    }

    @Test
    void negativeWindowSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SeqNum.inWindow(0, 0, -1));
    }

    @Test
    void rangeIsHalfOpenAcrossTheWrap() {
        int end = START + 512;
        assertTrue(SeqNum.inRange(START, START, end));
        assertTrue(SeqNum.inRange(end - 1, START, end));
        assertFalse(SeqNum.inRange(end, START, end));
        assertFalse(SeqNum.inRange(START - 1, START, end));
    }

    @Test
    void emptyRangeHoldsNothing() {
        assertFalse(SeqNum.inRange(7, 7, 7));
    }
}
