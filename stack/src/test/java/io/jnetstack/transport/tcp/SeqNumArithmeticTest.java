package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeqNumArithmeticTest {
    private static final int NEAR_WRAP = 0xFFFF_FFF0;

    @Test
    void addWrapsAround() {
        assertEquals(0x10, SeqNum.add(NEAR_WRAP, 0x20));
    }

    @Test
    void diffIsPositiveWhenFirstIsAhead() {
        assertEquals(0x20, SeqNum.diff(0x10, NEAR_WRAP));
    }

    @Test
    void diffIsNegativeWhenFirstIsBehind() {
        assertEquals(-0x20, SeqNum.diff(NEAR_WRAP, 0x10));
    }

    @Test
    void diffUndoesAdd() {
        assertEquals(12345, SeqNum.diff(SeqNum.add(NEAR_WRAP, 12345), NEAR_WRAP));
    }

    @Test
    void maxPicksTheLaterNumberAcrossTheWrap() {
        assertEquals(3, SeqNum.max(NEAR_WRAP, 3));
        assertEquals(3, SeqNum.max(3, NEAR_WRAP));
    }

    @Test
    void minPicksTheEarlierNumberAcrossTheWrap() {
        assertEquals(NEAR_WRAP, SeqNum.min(NEAR_WRAP, 3));
        assertEquals(NEAR_WRAP, SeqNum.min(3, NEAR_WRAP));
    }
}
