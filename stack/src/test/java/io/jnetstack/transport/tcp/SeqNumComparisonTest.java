package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumComparisonTest {
    private static final int NEAR_WRAP = 0xFFFF_FFF0;

    @Test
    void smallerNumberIsBeforeLargerWithoutWrap() {
        assertTrue(SeqNum.lt(100, 200));
        assertFalse(SeqNum.lt(200, 100));
    }

    @Test
    void numberJustPastTheWrapComesAfterOneJustBeforeIt() {
        int afterWrap = NEAR_WRAP + 0x20; // 0x10
        assertTrue(SeqNum.lt(NEAR_WRAP, afterWrap));
        assertTrue(SeqNum.gt(afterWrap, NEAR_WRAP));
    }

    @Test
    void signedBoundaryIsNotAWrap() {
        assertTrue(SeqNum.lt(Integer.MAX_VALUE, Integer.MIN_VALUE));
        assertTrue(SeqNum.gt(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void equalNumbersAreNeitherBeforeNorAfter() {
        assertFalse(SeqNum.lt(NEAR_WRAP, NEAR_WRAP));
        assertFalse(SeqNum.gt(NEAR_WRAP, NEAR_WRAP));
    }

    @Test
    void equalNumbersAreBothAtOrBeforeAndAtOrAfter() {
        assertTrue(SeqNum.leq(NEAR_WRAP, NEAR_WRAP));
        assertTrue(SeqNum.geq(NEAR_WRAP, NEAR_WRAP));
    }

    @Test
    void leqAndGeqFollowOrderAcrossTheWrap() {
        assertTrue(SeqNum.leq(NEAR_WRAP, 5));
        assertFalse(SeqNum.geq(NEAR_WRAP, 5));
        assertTrue(SeqNum.geq(5, NEAR_WRAP));
        assertFalse(SeqNum.leq(5, NEAR_WRAP));
    }
}
