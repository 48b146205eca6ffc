package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One ParsedTcpOptions serves segment after segment: each parse leaves nothing of the one before. */
class ParsedTcpOptionsTest {
    private static byte[] encoded(TcpOptions options) {
        byte[] b = new byte[options.encodedLength()];
        options.encode(b, 0);
        return b;
    }

    private static final TcpOptions SYN_OPTIONS = new TcpOptions(1460, 7, true, true, 11, 22, TcpOptions.NO_BLOCKS);
    private static final TcpOptions SACK_OPTIONS = new TcpOptions(-1, -1, false, true, 33, 44, new int[] {100, 200, 300, 400});

    @Test
    void aParseKeepsNothingOfThePreviousSegmentsOptions() {
        ParsedTcpOptions parsed = new ParsedTcpOptions();
        byte[] syn = encoded(SYN_OPTIONS);
        assertTrue(parsed.parse(syn, 0, syn.length));
        assertEquals(SYN_OPTIONS, parsed.toOptions());
        byte[] sack = encoded(SACK_OPTIONS);
        assertTrue(parsed.parse(sack, 0, sack.length));
        assertEquals(SACK_OPTIONS, parsed.toOptions());
        assertTrue(parsed.parse(new byte[0], 0, 0));
        assertEquals(TcpOptions.NONE, parsed.toOptions());
        assertEquals(0, parsed.sackBlockCount());
    }

    @Test
    void sackBlocksAreReadByIndexWithinTheirCount() {
        ParsedTcpOptions parsed = new ParsedTcpOptions();
        byte[] sack = encoded(SACK_OPTIONS);
        assertTrue(parsed.parse(sack, 0, sack.length));
        assertEquals(2, parsed.sackBlockCount());
        assertEquals(300, parsed.sackLeft(1));
        assertEquals(400, parsed.sackRight(1));
        assertThrows(IndexOutOfBoundsException.class, () -> parsed.sackLeft(2));
    }

    @Test
    void aCopyKeepsItsValuesWhenTheOriginalParsesAgain() {
        ParsedTcpOptions parsed = new ParsedTcpOptions();
        byte[] sack = encoded(SACK_OPTIONS);
        assertTrue(parsed.parse(sack, 0, sack.length));
        ParsedTcpOptions copy = new ParsedTcpOptions();
        copy.copyFrom(parsed);
        byte[] syn = encoded(SYN_OPTIONS);
        assertTrue(parsed.parse(syn, 0, syn.length));
        assertEquals(SACK_OPTIONS, copy.toOptions());
    }

    @Test
    void anOverrunningOptionFailsTheParse() {
        assertFalse(new ParsedTcpOptions().parse(new byte[] {2, 4, 5}, 0, 3));
    }
}
