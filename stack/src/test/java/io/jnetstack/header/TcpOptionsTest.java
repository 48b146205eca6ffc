package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Option parsing copes with every layout a peer may send and rejects overruns. */
class TcpOptionsTest {
    private static TcpOptions parse(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return TcpOptions.parse(b, 0, b.length);
    }

    @Test
    void emptyOptionsAreNone() {
        assertEquals(TcpOptions.NONE, parse());
    }

    @Test
    void unknownOptionIsSkippedByItsLength() {
        assertEquals(1460, parse(30, 4, 9, 9, 2, 4, 5, 180).mss());
    }

    @Test
    void endOfOptionListStopsParsing() {
        assertEquals(-1, parse(0, 2, 4, 5, 180).mss());
    }

    @Test
    void windowScaleAboveFourteenIsTreatedAsFourteen() {
        assertEquals(14, parse(3, 3, 15).windowScale());
    }

    @Test
    void optionOverrunningTheHeaderIsMalformed() {
        assertNull(parse(2, 4, 5));
    }

    @Test
    void optionLengthBelowTwoIsMalformed() {
        assertNull(parse(30, 1, 0, 0));
    }

    @Test
    void kindWithoutALengthByteIsMalformed() {
        assertNull(parse(1, 1, 1, 2));
    }

    @Test
    void mssWithTheWrongLengthIsMalformed() {
        assertNull(parse(2, 3, 5));
    }

    @Test
    void sackBlocksRoundTrip() {
        TcpOptions o = new TcpOptions(-1, -1, false, true, 7, 8, new int[] {100, 200, -5, -1});
        byte[] b = new byte[o.encodedLength()];
        assertEquals(b.length, o.encode(b, 0));
        assertEquals(o, TcpOptions.parse(b, 0, b.length));
        assertArrayEquals(new int[] {100, 200, -5, -1}, TcpOptions.parse(b, 0, b.length).sackBlocks());
    }

    @Test
    void sackBlockLengthNotAMultipleOfEightIsMalformed() {
        assertNull(parse(5, 6, 0, 0, 0, 1));
    }

    @Test
    void encodedLengthIsAMultipleOfFourForEveryCombination() {
        for (int mask = 0; mask < 16; mask++) {
            TcpOptions o = new TcpOptions((mask & 1) != 0 ? 1460 : -1, (mask & 2) != 0 ? 7 : -1, (mask & 4) != 0,
                    (mask & 8) != 0, 1, 2, new int[0]);
            byte[] b = new byte[40];
            int n = o.encode(b, 0);
            assertEquals(o.encodedLength(), n, o.toString());
            assertEquals(0, n % 4, o.toString());
            assertEquals(o, TcpOptions.parse(b, 0, n));
        }
    }

    @Test
    void aDataSegmentsOptionsTakeTheLengthTheSenderSizesSegmentsBy() {
        int[][] blockSets = {TcpOptions.NO_BLOCKS, {100, 200}, {1, 2, 3, 4, 5, 6}};
        for (boolean timestamps : new boolean[] {false, true}) {
            for (int[] blocks : blockSets) {
                byte[] b = new byte[40];
                int length = TcpOptions.encode(b, 0, -1, -1, false, timestamps, 0xfedcba98, 77, blocks);
                assertEquals(TcpOptions.dataOptionsLength(timestamps, blocks), length,
                        "timestamps=" + timestamps + " blocks=" + blocks.length);
                assertEquals(new TcpOptions(-1, -1, false, timestamps, timestamps ? 0xfedcba98 : 0, 77, blocks),
                        TcpOptions.parse(b, 0, length));
            }
        }
    }
}
