package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference vectors of the SipHash paper (appendix A) and vectors.h. */
class SipHashTest {
    private static final SipHash REFERENCE_KEY = new SipHash(sequence(16));

    private static byte[] sequence(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void fifteenByteMessageMatchesThePaper() {
        assertEquals(0xa129ca6149be45e5L, REFERENCE_KEY.hash(sequence(15), 15));
    }

    @Test
    void emptyMessageMatchesTheReferenceVector() {
        // vectors.h, first entry: 31 0e 0e dd 47 db 6f 72 (little-endian).
        assertEquals(0x726fdb47dd0e0e31L, REFERENCE_KEY.hash(new byte[0], 0));
    }

    @Test
    void eightByteMessageMatchesTheReferenceVector() {
        // vectors.h, entry 8: 62 24 93 9a 79 f5 f5 93 (little-endian).
        assertEquals(0x93f5f5799a932462L, REFERENCE_KEY.hash(sequence(8), 8));
    }

    @Test
    void onlyTheGivenLengthIsHashed() {
        assertEquals(REFERENCE_KEY.hash(sequence(15), 15), REFERENCE_KEY.hash(sequence(20), 15));
    }

    @Test
    void differentKeysGiveDifferentHashes() {
        byte[] otherKey = sequence(16);
        otherKey[0] = 1;

        assertNotEquals(REFERENCE_KEY.hash(sequence(15), 15), new SipHash(otherKey).hash(sequence(15), 15));
    }

    @Test
    void keyOfTheWrongLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SipHash(new byte[8]));
    }
}
